/**
 * Validation of a scenario document against {@link scenarioSchema} with ajv, and the translation of ajv's
 * errors into one clear line each in the words a platform engineer uses: `unknown field "rat" (did you mean
 * "rate"?)`, `must be a number, not a string ("10/s")`, `invalid duration "5 seconds": …`.
 */
import { parseDuration, type FieldPath } from '@meshsim/sim-core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { suggestion } from './didYouMean.js';
import type { Issue } from './issue.js';
import {
  DNS_LABEL_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  DURATION_PATTERN,
  HEADER_NAME_PATTERN,
  type JsonSchema,
} from './jsonSchema/common.js';
import { LATENCY_KEY_PATTERN, STATUS_KEY_PATTERN } from './jsonSchema/expect.js';
import { scenarioSchema } from './jsonSchema/scenario.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(
    scenarioSchema as object,
  );
  return compiled;
}

/** Every schema problem of `value`, as {@link Issue}s (unsorted; the loader orders them by position). */
export function schemaIssues(value: unknown): Issue[] {
  const validate = validator();
  if (validate(value)) return [];
  const pairs: { error: ErrorObject; issue: Issue }[] = [];
  const suggested = new Set<string>(); // `${objectPointer}\0${name}` suggested for an unknown field
  for (const error of validate.errors ?? []) {
    if (error.propertyName !== undefined) continue; // the inner error of a propertyNames failure
    const issue = toIssue(error, value);
    pairs.push({ error, issue });
    const s = error.keyword === 'additionalProperties' ? /did you mean "([^"]+)"/.exec(issue.message)?.[1] : undefined;
    if (s !== undefined) suggested.add(`${error.instancePath}\u0000${s}`);
  }
  // A misspelt required field is reported once: as the unknown field, with its suggestion.
  return pairs
    .filter(
      ({ error }) =>
        !(
          error.keyword === 'required' &&
          suggested.has(`${error.instancePath}\u0000${String(error.params['missingProperty'])}`)
        ),
    )
    .map(({ issue }) => issue);
}

function toIssue(error: ErrorObject, root: unknown): Issue {
  const path = toFieldPath(error.instancePath, root);
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  const schema = (n: string): Issue => ({ path, message: n, code: 'scenario/schema' });
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(p['additionalProperty']);
      const known = Object.keys((parent['properties'] as Record<string, unknown> | undefined) ?? {});
      return {
        path: [...path, name],
        message: `unknown field ${JSON.stringify(name)}${suggestion(name, known)}`,
        code: 'scenario/schema',
        at: 'key',
      };
    }
    case 'propertyNames':
      return {
        path: [...path, String(p['propertyName'])],
        message: badKey(String(p['propertyName']), parent),
        code: 'scenario/schema',
        at: 'key',
      };
    case 'required': {
      const name = String(p['missingProperty']);
      if (error.schemaPath.startsWith('#/definitions/manifestSource/')) {
        return schema(`an inline manifest needs apiVersion and kind (missing ${JSON.stringify(name)})`);
      }
      return schema(`missing required field ${JSON.stringify(name)}`);
    }
    case 'type':
      return schema(typeMessage(parent['type'] ?? p['type'], error.data));
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const got = JSON.stringify(error.data);
      return schema(
        `must be one of ${allowed.join(', ')}, not ${got}${typeof error.data === 'string' ? suggestion(error.data, allowed) : ''}`,
      );
    }
    case 'minimum':
      return schema(`must be ≥ ${String(p['limit'])}, not ${JSON.stringify(error.data)}`);
    case 'exclusiveMinimum':
      return schema(`must be > ${String(p['limit'])}, not ${JSON.stringify(error.data)}`);
    case 'maximum':
      return schema(`must be ≤ ${String(p['limit'])}, not ${JSON.stringify(error.data)}`);
    case 'exclusiveMaximum':
      return schema(`must be < ${String(p['limit'])}, not ${JSON.stringify(error.data)}`);
    case 'minLength':
      return schema('must not be empty');
    case 'maxLength':
      return schema(
        `must be at most ${String(p['limit'])} characters (this one has ${String((error.data as string).length)})`,
      );
    case 'minItems':
      return schema(p['limit'] === 1 ? 'must not be empty' : `needs at least ${String(p['limit'])} items`);
    case 'minProperties':
      return schema(
        oneOfKeysMessage(parent, error.data) ??
          (p['limit'] === 1 && isBounds(parent) ? 'needs min and/or max' : 'must not be empty'),
      );
    case 'maxProperties':
      return schema(oneOfKeysMessage(parent, error.data) ?? `takes at most ${String(p['limit'])} fields`);
    case 'pattern':
      return schema(patternMessage(String(p['pattern']), error.data));
    default:
      return schema(error.message ?? `fails ${error.keyword}`);
  }
}

/** JSON Pointer → field path; segments that index a list become numbers. */
function toFieldPath(pointer: string, root: unknown): FieldPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(segment);
      path.push(i);
      node = node[i];
    } else {
      path.push(segment);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  return typeof value;
}

function typeMessage(expected: unknown, data: unknown): string {
  const types = (Array.isArray(expected) ? expected : [expected]).map(String);
  const words = types.map((t) => TYPE_WORDS[t] ?? t);
  const want =
    words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? 'valid');
  const hint =
    types.includes('string') && typeof data === 'number' && !types.includes('number') && !types.includes('integer')
      ? ' (quote it if you meant text)'
      : types.includes('integer') && typeof data === 'number'
        ? ''
        : '';
  return `must be ${want}, not ${describeValue(data)}${hint}`;
}

function isBounds(schema: JsonSchema): boolean {
  const props = Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {});
  return props.length === 2 && props.includes('min') && props.includes('max');
}

// One-of-keys objects (distributions): exactly one key among their properties.
function oneOfKeysMessage(schema: JsonSchema, data: unknown): string | undefined {
  if (schema['maxProperties'] !== 1) return undefined;
  const keys = Object.keys((schema['properties'] as Record<string, unknown> | undefined) ?? {});
  const given = typeof data === 'object' && data !== null ? Object.keys(data) : [];
  const list = keys.join(', ');
  return given.length === 0
    ? `needs one of ${list}`
    : `takes exactly one of ${list}, not ${given.map((k) => JSON.stringify(k)).join(' and ')}`;
}

const PATTERN_MESSAGES: Record<string, (value: string) => string> = {
  [DURATION_PATTERN]: durationMessage,
  [DNS_LABEL_PATTERN]: (v) =>
    `invalid name ${JSON.stringify(v)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
  [DNS_SUBDOMAIN_PATTERN]: (v) =>
    `invalid name ${JSON.stringify(v)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
  [HEADER_NAME_PATTERN]: (v) => `invalid header name ${JSON.stringify(v)}`,
  '^https?://[^/?#\\s]+': (v) =>
    `must be an http:// or https:// URL with a host, e.g. "http://reviews:9080/reviews/0", not ${JSON.stringify(v)}`,
  '^[A-Z]+$': (v) => `must be an HTTP method in capitals, e.g. GET or POST, not ${JSON.stringify(v)}`,
  '^[A-Z][A-Za-z0-9]*$': (v) => `must be a Kubernetes kind such as VirtualService, not ${JSON.stringify(v)}`,
  '^[^\\n\\r]*$': () => 'must be one line',
  '^(/([^~]|~[01])*)*$': (v) => `must be a JSON Pointer such as /spec/http/0/route/1/weight, not ${JSON.stringify(v)}`,
  '^([A-Z]{2,5}|-)$': (v) =>
    `must be an Envoy response flag such as UO or URX, or - for none, not ${JSON.stringify(v)}`,
  '^[1-5]xx$': (v) => `must be a status code such as 503, a class such as 5xx, or 0, not ${JSON.stringify(v)}`,
  '^[a-z0-9-]+(,[a-z0-9-]+)*$': (v) =>
    `must be comma-separated Envoy retry conditions and/or status codes, e.g. "connect-failure,refused-stream,503", not ${JSON.stringify(v)}`,
};

function patternMessage(pattern: string, value: unknown): string {
  const render = PATTERN_MESSAGES[pattern];
  return render === undefined ? `must match ${pattern}, not ${JSON.stringify(value)}` : render(String(value));
}

function durationMessage(text: string): string {
  let micros: number;
  try {
    micros = parseDuration(text);
  } catch (e) {
    return (e as Error).message;
  }
  return micros < 0
    ? `invalid duration ${JSON.stringify(text)}: must not be negative`
    : `invalid duration ${JSON.stringify(text)}: write it without a sign, e.g. "1.5s"`;
}

function badKey(key: string, schema: JsonSchema): string {
  const pattern = (schema['propertyNames'] as JsonSchema | undefined)?.['pattern'];
  if (pattern === STATUS_KEY_PATTERN) {
    return `invalid status code ${JSON.stringify(key)}: use a code such as 503, a class such as 5xx, or 0 for no response`;
  }
  if (pattern === LATENCY_KEY_PATTERN) {
    return `invalid latency statistic ${JSON.stringify(key)}: use a percentile such as p50, p99 or p99.9, or mean, min, max`;
  }
  if (pattern === HEADER_NAME_PATTERN) return `invalid header name ${JSON.stringify(key)}`;
  return patternMessage(String(pattern), key);
}
