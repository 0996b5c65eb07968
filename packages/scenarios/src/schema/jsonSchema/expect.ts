/** JSON Schema of the `expect` section. */
import { list, object, ref, string, type JsonSchema } from './common.js';

/** Status-code keys: a code, a class such as 5xx, or 0 (no response). */
export const STATUS_KEY_PATTERN = '^(0|[1-5][0-9][0-9]|[1-5]xx)$';
/** Latency keys: pNN (p50, p99.9, p100), mean, min, max. */
export const LATENCY_KEY_PATTERN = '^(p(100|[0-9]{1,2}(\\.[0-9]+)?)|mean|min|max)$';

export const expectDefinitions: Record<string, JsonSchema> = {
  requestFilter: object('Which requests: every field set must match.', {
    traffic: { ...ref('dnsLabel'), description: 'Requests sent by this traffic generator.' },
    source: object('The calling workload.', {
      namespace: ref('namespace'),
      workload: { ...ref('objectName'), description: 'Deployment/StatefulSet/Pod/WorkloadEntry name.' },
    }),
    destination: object('Where the request was routed.', {
      service: string('Service host; a name without dots means <name>.<namespace>.svc.cluster.local.', {
        minLength: 1,
      }),
      namespace: ref('namespace'),
      subset: string('DestinationRule subset.', { minLength: 1 }),
      workload: { ...ref('objectName'), description: 'Serving workload name.' },
      version: string("Serving workload's version label.", { minLength: 1 }),
      port: { type: 'integer', minimum: 1, maximum: 65535 },
    }),
    responseCode: {
      type: ['integer', 'string'],
      minimum: 0,
      maximum: 599,
      pattern: '^[1-5]xx$',
      description: 'A status code, a class (5xx) or 0 (no response).',
    },
    responseFlag: string('An Envoy response flag (UO, URX, …) or - for none.', { pattern: '^([A-Z]{2,5}|-)$' }),
    window: object('Requests that started in [start, end).', { start: ref('duration'), end: ref('duration') }),
  }),
  expectation: object(
    'An assertion on the requests selected by `of`: one or more of count, share, errorRate, statusCodes, responseFlags, latency, retries, ejections.',
    {
      name: { type: 'string', description: 'Shown in reports.' },
      variants: list('Runs it applies to (variant names; baseline = unchanged). Default every run.', ref('dnsLabel'), {
        minItems: 1,
      }),
      of: ref('requestFilter'),
      count: { ...ref('bounds'), description: 'Number of selected requests.' },
      share: object(
        'Share of the selected requests that also match `to`: an exact binomial test (percent, alpha) or bounds (min, max).',
        {
          to: ref('requestFilter'),
          percent: { ...ref('percent'), description: 'Expected share, tested two-sided at alpha.' },
          alpha: {
            type: 'number',
            exclusiveMinimum: 0,
            exclusiveMaximum: 1,
            default: 0.001,
            description: 'Significance level of the test. Default 0.001.',
          },
          min: ref('percent'),
          max: ref('percent'),
        },
        { required: ['to'] },
      ),
      errorRate: { ...ref('percentBounds'), description: 'Percentage with status ≥ 500 or no response.' },
      statusCodes: {
        type: 'object',
        description: 'Counts by status code (200), class (5xx) or 0 (no response).',
        propertyNames: { pattern: STATUS_KEY_PATTERN },
        additionalProperties: ref('bounds'),
        minProperties: 1,
      },
      responseFlags: {
        type: 'object',
        description: 'Counts by Envoy response flag (UO, URX, …; - for none).',
        propertyNames: { pattern: '^([A-Z]{2,5}|-)$' },
        additionalProperties: ref('bounds'),
        minProperties: 1,
      },
      latency: {
        type: 'object',
        description: 'Latency as the caller saw it, by percentile (p50, p99, p99.9), mean, min or max.',
        propertyNames: { pattern: LATENCY_KEY_PATTERN },
        additionalProperties: ref('durationBounds'),
        minProperties: 1,
      },
      retries: { ...ref('bounds'), description: 'Retries Envoy made for the selected requests.' },
      ejections: { ...ref('bounds'), description: 'Outlier ejections in the destination clusters.' },
    },
  ),
};
