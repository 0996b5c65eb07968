/**
 * JSON Schema (draft-07) building blocks of the scenario format. The schema is written in TypeScript so
 * shared pieces (a workload target's fields, durations) are spelled once; `scenario.schema.json` in the
 * package is generated from it (`pnpm --filter @meshsim/scenarios gen:schema`) and a test keeps the two equal.
 */

/** A JSON Schema node. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** A reference to a named definition. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

/** A DNS-1123 label, as Kubernetes object names: lower-case alphanumerics and `-`, at most 63. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** A DNS-1123 subdomain (namespaces, pod and object names): labels joined by dots, at most 253. */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/**
 * A non-negative duration in the grammar of Go's `time.ParseDuration` (what Istio uses): `"0"`, `"1.5s"`,
 * `"250ms"`, `"1m30s"`, `"100us"`.
 */
export const DURATION_PATTERN = '^(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
/** A percentile key: p0 … p100, with decimals (p99.9). */
export const PERCENTILE_KEY_PATTERN = '^p(100|[0-9]{1,2}(\\.[0-9]+)?)$';
/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

export const string = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});

/** A closed object: unknown fields are errors, as in Kubernetes' strict decoding. */
export const object = (
  description: string,
  properties: Record<string, JsonSchema>,
  extra: JsonSchema = {},
): JsonSchema => ({ type: 'object', description, properties, additionalProperties: false, ...extra });

export const list = (description: string, items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({
  type: 'array',
  description,
  items,
  ...extra,
});

/** The fields of an object reference: kind, namespace and name (and apiVersion when ambiguous). */
export const objectRefProperties: Record<string, JsonSchema> = {
  apiVersion: string('API group/version, only needed when the kind exists in several groups.'),
  kind: string('Kind, e.g. VirtualService.', { pattern: '^[A-Z][A-Za-z0-9]*$' }),
  namespace: ref('namespace'),
  name: ref('objectName'),
};

export const commonDefinitions: Record<string, JsonSchema> = {
  duration: {
    type: 'string',
    pattern: DURATION_PATTERN,
    description: 'A duration as Istio writes them (Go syntax): "250ms", "1.5s", "1m30s", "100us".',
  },
  percent: { type: 'number', minimum: 0, maximum: 100, description: 'A percentage, 0–100.' },
  dnsLabel: { type: 'string', pattern: DNS_LABEL_PATTERN, maxLength: 63, description: 'A DNS-1123 label.' },
  namespace: {
    type: 'string',
    pattern: DNS_LABEL_PATTERN,
    maxLength: 63,
    default: 'default',
    description: 'A Kubernetes namespace.',
  },
  objectName: {
    type: 'string',
    pattern: DNS_SUBDOMAIN_PATTERN,
    maxLength: 253,
    description: 'A Kubernetes object name.',
  },
  stringMap: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'A map of strings.',
  },
  headers: {
    type: 'object',
    propertyNames: { pattern: HEADER_NAME_PATTERN },
    additionalProperties: { type: 'string' },
    description: 'HTTP request headers (name: value); names are case-insensitive and stored lower-cased.',
  },
  url: {
    type: 'string',
    pattern: '^https?://[^/?#\\s]+',
    description: 'An http:// or https:// URL; its authority is the Host header.',
  },
  labelSelector: object('A label selector (metav1.LabelSelector); {} selects every instance.', {
    matchLabels: { ...ref('stringMap'), description: 'Labels that must all be present with these values.' },
    matchExpressions: list(
      'Set-based requirements, all of which must hold.',
      object(
        'A label selector requirement.',
        {
          key: string('The label key.'),
          operator: {
            type: 'string',
            enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
            description: 'How the key is tested.',
          },
          values: list('Values for In/NotIn.', { type: 'string' }),
        },
        { required: ['key', 'operator'] },
      ),
    ),
  }),
  objectRef: object('A Kubernetes object by identity.', objectRefProperties, { required: ['kind', 'name'] }),
  manifestSource: {
    type: ['string', 'object'],
    description:
      'A manifest file or folder relative to the scenario file (a string), or a Kubernetes object written inline (with apiVersion and kind).',
    minLength: 1,
    properties: {
      apiVersion: string('API group/version of the inline object.', { minLength: 1 }),
      kind: string('Kind of the inline object.', { minLength: 1 }),
    },
    required: ['apiVersion', 'kind'],
  },
  manifestList: list('Manifests: paths (files or folders) and inline objects.', ref('manifestSource')),
  distribution: {
    type: ['string', 'object'],
    description:
      'A random duration: a duration string for a constant, or exactly one of constant, exponential, lognormal, uniform, empirical.',
    pattern: DURATION_PATTERN,
    properties: {
      constant: { ...ref('duration'), description: 'Always this value.' },
      exponential: object('Exponential (memoryless).', { mean: ref('duration') }, { required: ['mean'] }),
      lognormal: object(
        'Lognormal by median and 99th percentile.',
        { median: ref('duration'), p99: ref('duration') },
        { required: ['median', 'p99'] },
      ),
      uniform: object(
        'Uniform on [min, max].',
        { min: ref('duration'), max: ref('duration') },
        { required: ['min', 'max'] },
      ),
      empirical: {
        type: 'object',
        description: 'Measured data: samples (a list of durations) or percentiles (p0 … p100: duration).',
        properties: {
          samples: list('Observed durations.', ref('duration'), { minItems: 1 }),
          percentiles: {
            type: 'object',
            description: 'A percentile table from p0 (the minimum) to p100 (the maximum).',
            propertyNames: { pattern: PERCENTILE_KEY_PATTERN },
            additionalProperties: ref('duration'),
            minProperties: 2,
          },
        },
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
      },
    },
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
  },
  bounds: object(
    'Inclusive bounds: min and/or max.',
    { min: { type: 'number', minimum: 0 }, max: { type: 'number', minimum: 0 } },
    { minProperties: 1 },
  ),
  percentBounds: object(
    'Inclusive bounds in percent: min and/or max.',
    { min: ref('percent'), max: ref('percent') },
    { minProperties: 1 },
  ),
  durationBounds: object(
    'Inclusive bounds on a duration: min and/or max.',
    { min: ref('duration'), max: ref('duration') },
    { minProperties: 1 },
  ),
};

/**
 * The fields that pick workload instances (pods and WorkloadEntries), spread into every object that
 * targets them: `namespace`, then exactly one of `pod` and `selector`, optionally `replica`.
 */
export const instanceTargetProperties: Record<string, JsonSchema> = {
  namespace: { ...ref('namespace'), description: 'Namespace of the instances. Default: default.' },
  pod: { ...ref('objectName'), description: "A pod's name." },
  selector: { ...ref('labelSelector'), description: 'Labels of the pods and WorkloadEntries (VMs) meant.' },
  replica: {
    type: 'integer',
    minimum: 0,
    description: 'Only the replica with this 0-based index among the selected instances, ordered by name.',
  },
};
