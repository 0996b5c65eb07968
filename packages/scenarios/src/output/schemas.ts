/**
 * JSON Schemas (draft-07) of the CLI's machine-readable outputs — the stable contract of `meshsim run -o
 * json` (`meshsim.run`), `meshsim run --runs N -o json` (`meshsim.replications`), `meshsim diff -o json`
 * (`meshsim.diff`) and `meshsim run -o fortio` (Fortio's result, the fields meshsim fills). Numbers that may
 * be unbounded (an interval's ends, NaN statistics) are written by `JSON.stringify` as `null`. A change that
 * removes or retypes a field is a breaking change and bumps `schemaVersion`.
 */
import type { JsonSchema } from '../schema/jsonSchema/common.js';

const num: JsonSchema = { type: 'number' };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const percent: JsonSchema = { type: 'number', minimum: 0, maximum: 100 };
const bound: JsonSchema = { type: ['number', 'null'] };
const counts: JsonSchema = { type: 'object', additionalProperties: count };
const interval: JsonSchema = {
  type: 'object',
  required: ['lower', 'upper'],
  additionalProperties: false,
  properties: { lower: bound, upper: bound },
};

const latency: JsonSchema = {
  oneOf: [
    { type: 'null' },
    {
      type: 'object',
      description: 'caller-observed latency, µs',
      required: ['p50', 'p90', 'p99', 'p999', 'mean', 'max'],
      additionalProperties: false,
      properties: { p50: num, p90: num, p99: num, p999: num, mean: num, max: num },
    },
  ],
};

const requestStats = {
  requests: count,
  statusCodes: counts,
  responseFlags: counts,
  errorRate: percent,
  retries: count,
  latency,
};
const requestStatsRequired = ['requests', 'statusCodes', 'responseFlags', 'errorRate', 'retries', 'latency'];

const check: JsonSchema = {
  type: 'object',
  required: ['check', 'passed', 'observed', 'expected'],
  additionalProperties: false,
  properties: {
    check: { enum: ['count', 'share', 'errorRate', 'statusCodes', 'responseFlags', 'latency', 'retries', 'ejections'] },
    key: { type: 'string' },
    passed: { type: 'boolean' },
    observed: bound,
    expected: { type: 'string' },
  },
};

const expectationResult: JsonSchema = {
  type: 'object',
  required: ['name', 'passed', 'requests', 'checks'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    passed: { type: 'boolean' },
    requests: count,
    checks: { type: 'array', items: check },
  },
};

/** `meshsim run -o json`. */
export const runResultSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://meshsim.dev/schemas/run-result.json',
  title: 'meshsim run result',
  type: 'object',
  required: [
    'kind',
    'schemaVersion',
    'scenario',
    'description',
    'variant',
    'seed',
    'simulatedTime',
    'eventsFired',
    'digest',
    'generators',
    'destinations',
    'events',
    'expectations',
    'passed',
  ],
  additionalProperties: false,
  properties: {
    kind: { const: 'meshsim.run' },
    schemaVersion: { const: 1 },
    scenario: { type: 'string' },
    description: { type: 'string' },
    variant: { type: 'string' },
    seed: { type: 'integer' },
    simulatedTime: count,
    eventsFired: count,
    digest: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    generators: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'from', 'sent', 'completed', 'actualQps', ...requestStatsRequired],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          from: { type: 'array', items: { type: 'string' } },
          sent: count,
          completed: count,
          actualQps: { type: 'number', minimum: 0 },
          ...requestStats,
        },
      },
    },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['service', 'share', 'ejections', 'pods', ...requestStatsRequired],
        additionalProperties: false,
        properties: {
          service: { type: 'string' },
          subset: { type: 'string' },
          share: percent,
          ejections: count,
          pods: {
            type: 'array',
            items: {
              type: 'object',
              required: ['pod', 'share', ...requestStatsRequired],
              additionalProperties: false,
              properties: {
                pod: { type: 'string' },
                workload: { type: 'string' },
                version: { type: 'string' },
                share: percent,
                ...requestStats,
              },
            },
          },
          ...requestStats,
        },
      },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'name'],
        additionalProperties: false,
        properties: { at: count, name: { type: 'string' } },
      },
    },
    expectations: { type: 'array', items: expectationResult },
    passed: { type: 'boolean' },
  },
};

const estimate: JsonSchema = {
  type: 'object',
  required: ['mean', 'sd', 'interval', 'values'],
  additionalProperties: false,
  properties: { mean: bound, sd: bound, interval, values: { type: 'array', items: num } },
};

/** `meshsim run --runs N -o json`. */
export const replicationResultSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://meshsim.dev/schemas/replication-result.json',
  title: 'meshsim replications',
  type: 'object',
  required: [
    'kind',
    'schemaVersion',
    'scenario',
    'variant',
    'seeds',
    'alpha',
    'generators',
    'destinations',
    'expectations',
    'runs',
    'passed',
  ],
  additionalProperties: false,
  properties: {
    kind: { const: 'meshsim.replications' },
    schemaVersion: { const: 1 },
    scenario: { type: 'string' },
    variant: { type: 'string' },
    seeds: { type: 'array', items: { type: 'integer' }, minItems: 1 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    generators: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'requests', 'errorRate', 'p50', 'p90', 'p99'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          requests: estimate,
          errorRate: estimate,
          p50: estimate,
          p90: estimate,
          p99: estimate,
        },
      },
    },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['service', 'share', 'errorRate', 'p50', 'p99'],
        additionalProperties: false,
        properties: {
          service: { type: 'string' },
          subset: { type: 'string' },
          share: estimate,
          errorRate: estimate,
          p50: estimate,
          p99: estimate,
        },
      },
    },
    expectations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'passed', 'runs'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, passed: count, runs: count },
      },
    },
    runs: { type: 'array', items: runResultSchema },
    passed: { type: 'boolean' },
  },
};

const proportion = {
  a: percent,
  b: percent,
  difference: num,
  interval,
  p: { type: 'number', minimum: 0, maximum: 1 },
  significant: { type: 'boolean' },
  discordant: {
    type: 'object',
    required: ['aOnly', 'bOnly'],
    additionalProperties: false,
    properties: { aOnly: count, bOnly: count },
  },
};
const proportionRequired = ['a', 'b', 'difference', 'interval', 'p', 'significant', 'discordant'];

/** `meshsim diff -o json`. */
export const diffResultSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://meshsim.dev/schemas/diff-result.json',
  title: 'meshsim diff result',
  type: 'object',
  required: ['kind', 'schemaVersion', 'scenario', 'a', 'b', 'seeds', 'alpha', 'generators', 'significant', 'methods'],
  additionalProperties: false,
  properties: {
    kind: { const: 'meshsim.diff' },
    schemaVersion: { const: 1 },
    scenario: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    seeds: { type: 'array', items: { type: 'integer' }, minItems: 1 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    generators: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'pairs', 'unpaired', 'shares', 'errorRate', 'latencyShift', 'percentiles', 'significant'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          pairs: count,
          unpaired: {
            type: 'object',
            required: ['a', 'b'],
            additionalProperties: false,
            properties: { a: count, b: count },
          },
          shares: {
            type: 'array',
            items: {
              type: 'object',
              required: ['service', ...proportionRequired],
              additionalProperties: false,
              properties: { service: { type: 'string' }, subset: { type: 'string' }, ...proportion },
            },
          },
          errorRate: {
            type: 'object',
            required: proportionRequired,
            additionalProperties: false,
            properties: proportion,
          },
          latencyShift: {
            type: 'object',
            required: ['slower', 'faster', 'ties', 'median', 'interval', 'p', 'significant'],
            additionalProperties: false,
            properties: {
              slower: count,
              faster: count,
              ties: count,
              median: bound,
              interval,
              p: { type: 'number', minimum: 0, maximum: 1 },
              significant: { type: 'boolean' },
            },
          },
          percentiles: {
            type: 'array',
            items: {
              type: 'object',
              required: ['percentile', 'a', 'b', 'difference', 'interval', 'significant'],
              additionalProperties: false,
              properties: {
                percentile: percent,
                a: bound,
                b: bound,
                difference: bound,
                interval,
                significant: { type: 'boolean' },
              },
            },
          },
          significant: { type: 'boolean' },
        },
      },
    },
    significant: { type: 'boolean' },
    methods: { type: 'array', items: { type: 'string' } },
  },
};

const fortioHistogram: JsonSchema = {
  type: 'object',
  required: ['Count', 'Min', 'Max', 'Sum', 'Avg', 'StdDev', 'Data'],
  additionalProperties: false,
  properties: {
    Count: count,
    Min: num,
    Max: num,
    Sum: num,
    Avg: num,
    StdDev: { type: 'number', minimum: 0 },
    Data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Start', 'End', 'Percent', 'Count'],
        additionalProperties: false,
        properties: { Start: num, End: num, Percent: percent, Count: { type: 'integer', minimum: 1 } },
      },
    },
    Percentiles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Percentile', 'Value'],
        additionalProperties: false,
        properties: { Percentile: percent, Value: num },
      },
    },
  },
};

/**
 * `meshsim run -o fortio`: Fortio's `HTTPRunnerResults` JSON (fortio/fortio fhttp/httprunner.go, periodic/
 * periodic.go, stats/stats.go) — the fields Fortio's `report` and UI read, with Fortio's names and types.
 */
export const fortioResultSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://meshsim.dev/schemas/fortio-result.json',
  title: 'Fortio HTTP runner result (as meshsim writes it)',
  type: 'object',
  required: [
    'RunType',
    'Labels',
    'StartTime',
    'RequestedQPS',
    'RequestedDuration',
    'ActualQPS',
    'ActualDuration',
    'NumThreads',
    'Version',
    'DurationHistogram',
    'ErrorsDurationHistogram',
    'Exactly',
    'Jitter',
    'Uniform',
    'NoCatchUp',
    'RunID',
    'AccessLoggerInfo',
    'ID',
    'RetCodes',
    'IPCountMap',
    'URL',
    'NumConnections',
    'SocketCount',
    'AbortOn',
  ],
  additionalProperties: false,
  properties: {
    RunType: { const: 'HTTP' },
    Labels: { type: 'string' },
    StartTime: {
      type: 'string',
      description: 'RFC 3339',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
    },
    RequestedQPS: { type: 'string', pattern: '^(max|[0-9.eE+-]+)$' },
    RequestedDuration: { type: 'string' },
    ActualQPS: { type: 'number', minimum: 0 },
    ActualDuration: { type: 'integer', minimum: 0, description: 'nanoseconds (Go time.Duration)' },
    NumThreads: count,
    Version: { type: 'string' },
    DurationHistogram: fortioHistogram,
    ErrorsDurationHistogram: fortioHistogram,
    Exactly: count,
    Jitter: { type: 'boolean' },
    Uniform: { type: 'boolean' },
    NoCatchUp: { type: 'boolean' },
    RunID: { type: 'integer' },
    AccessLoggerInfo: { type: 'string' },
    ID: { type: 'string' },
    RetCodes: { type: 'object', propertyNames: { pattern: '^(-1|[1-5][0-9][0-9])$' }, additionalProperties: count },
    IPCountMap: counts,
    URL: { type: 'string' },
    NumConnections: count,
    SocketCount: count,
    AbortOn: { type: 'integer' },
  },
};
