/**
 * JSON Schemas (draft-07) of the CLI's machine-readable outputs — the stable contract of `meshsim run -o
 * json` (`meshsim.run`), `meshsim run --runs N -o json` (`meshsim.replications`), `meshsim diff -o json`
 * (`meshsim.diff`) and `meshsim run -o fortio` (Fortio's result, the fields meshsim fills). Numbers that may
 * be unbounded (an interval's ends, NaN statistics) are written by `JSON.stringify` as `null`. A change that
 * removes or retypes a field is a breaking change and bumps `schemaVersion`.
 */
import type { JsonSchema } from '../schema/jsonSchema/common.js';

/** An object schema with exactly these `properties` (no others), of which `required` must be present. */
function closedObject(required: readonly string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required: [...required], additionalProperties: false, properties };
}

/** A top-level output schema: a {@link closedObject} with its draft-07 `$schema`, `$id` (`name`) and title. */
function outputDocument(
  name: string,
  title: string,
  required: readonly string[],
  properties: Record<string, JsonSchema>,
): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://meshsim.dev/schemas/${name}.json`,
    title,
    ...closedObject(required, properties),
  };
}

const num: JsonSchema = { type: 'number' };
const count: JsonSchema = { type: 'integer', minimum: 0 };
const percent: JsonSchema = { type: 'number', minimum: 0, maximum: 100 };
const bound: JsonSchema = { type: ['number', 'null'] };
const counts: JsonSchema = { type: 'object', additionalProperties: count };
const interval: JsonSchema = closedObject(['lower', 'upper'], { lower: bound, upper: bound });

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

const check: JsonSchema = closedObject(['check', 'passed', 'observed', 'expected'], {
  check: { enum: ['count', 'share', 'errorRate', 'statusCodes', 'responseFlags', 'latency', 'retries', 'ejections'] },
  key: { type: 'string' },
  passed: { type: 'boolean' },
  observed: bound,
  expected: { type: 'string' },
});

const expectationResult: JsonSchema = closedObject(['name', 'passed', 'requests', 'checks'], {
  name: { type: 'string' },
  passed: { type: 'boolean' },
  requests: count,
  checks: { type: 'array', items: check },
});

/** `meshsim run -o json`. */
export const runResultSchema: JsonSchema = outputDocument(
  'run-result',
  'meshsim run result',
  [
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
  {
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
      items: closedObject(['name', 'from', 'sent', 'completed', 'actualQps', ...requestStatsRequired], {
        name: { type: 'string' },
        from: { type: 'array', items: { type: 'string' } },
        sent: count,
        completed: count,
        actualQps: { type: 'number', minimum: 0 },
        ...requestStats,
      }),
    },
    destinations: {
      type: 'array',
      items: closedObject(['service', 'share', 'ejections', 'pods', ...requestStatsRequired], {
        service: { type: 'string' },
        subset: { type: 'string' },
        share: percent,
        ejections: count,
        pods: {
          type: 'array',
          items: closedObject(['pod', 'share', ...requestStatsRequired], {
            pod: { type: 'string' },
            workload: { type: 'string' },
            version: { type: 'string' },
            share: percent,
            ...requestStats,
          }),
        },
        ...requestStats,
      }),
    },
    events: {
      type: 'array',
      items: closedObject(['at', 'name'], { at: count, name: { type: 'string' } }),
    },
    expectations: { type: 'array', items: expectationResult },
    passed: { type: 'boolean' },
  },
);

const estimate: JsonSchema = closedObject(['mean', 'sd', 'interval', 'values'], {
  mean: bound,
  sd: bound,
  interval,
  values: { type: 'array', items: num },
});

/** `meshsim run --runs N -o json`. */
export const replicationResultSchema: JsonSchema = outputDocument(
  'replication-result',
  'meshsim replications',
  [
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
  {
    kind: { const: 'meshsim.replications' },
    schemaVersion: { const: 1 },
    scenario: { type: 'string' },
    variant: { type: 'string' },
    seeds: { type: 'array', items: { type: 'integer' }, minItems: 1 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    generators: {
      type: 'array',
      items: closedObject(['name', 'requests', 'errorRate', 'p50', 'p90', 'p99'], {
        name: { type: 'string' },
        requests: estimate,
        errorRate: estimate,
        p50: estimate,
        p90: estimate,
        p99: estimate,
      }),
    },
    destinations: {
      type: 'array',
      items: closedObject(['service', 'share', 'errorRate', 'p50', 'p99'], {
        service: { type: 'string' },
        subset: { type: 'string' },
        share: estimate,
        errorRate: estimate,
        p50: estimate,
        p99: estimate,
      }),
    },
    expectations: {
      type: 'array',
      items: closedObject(['name', 'passed', 'runs'], { name: { type: 'string' }, passed: count, runs: count }),
    },
    runs: { type: 'array', items: runResultSchema },
    passed: { type: 'boolean' },
  },
);

const proportion = {
  a: percent,
  b: percent,
  difference: num,
  interval,
  p: { type: 'number', minimum: 0, maximum: 1 },
  significant: { type: 'boolean' },
  discordant: closedObject(['aOnly', 'bOnly'], { aOnly: count, bOnly: count }),
};
const proportionRequired = ['a', 'b', 'difference', 'interval', 'p', 'significant', 'discordant'];

/** `meshsim diff -o json`. */
export const diffResultSchema: JsonSchema = outputDocument(
  'diff-result',
  'meshsim diff result',
  ['kind', 'schemaVersion', 'scenario', 'a', 'b', 'seeds', 'alpha', 'generators', 'significant', 'methods'],
  {
    kind: { const: 'meshsim.diff' },
    schemaVersion: { const: 1 },
    scenario: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    seeds: { type: 'array', items: { type: 'integer' }, minItems: 1 },
    alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    generators: {
      type: 'array',
      items: closedObject(
        ['name', 'pairs', 'unpaired', 'shares', 'errorRate', 'latencyShift', 'percentiles', 'significant'],
        {
          name: { type: 'string' },
          pairs: count,
          unpaired: closedObject(['a', 'b'], { a: count, b: count }),
          shares: {
            type: 'array',
            items: closedObject(['service', ...proportionRequired], {
              service: { type: 'string' },
              subset: { type: 'string' },
              ...proportion,
            }),
          },
          errorRate: closedObject(proportionRequired, proportion),
          latencyShift: closedObject(['slower', 'faster', 'ties', 'median', 'interval', 'p', 'significant'], {
            slower: count,
            faster: count,
            ties: count,
            median: bound,
            interval,
            p: { type: 'number', minimum: 0, maximum: 1 },
            significant: { type: 'boolean' },
          }),
          percentiles: {
            type: 'array',
            items: closedObject(['percentile', 'a', 'b', 'difference', 'interval', 'significant'], {
              percentile: percent,
              a: bound,
              b: bound,
              difference: bound,
              interval,
              significant: { type: 'boolean' },
            }),
          },
          significant: { type: 'boolean' },
        },
      ),
    },
    significant: { type: 'boolean' },
    methods: { type: 'array', items: { type: 'string' } },
  },
);

const fortioHistogram: JsonSchema = closedObject(['Count', 'Min', 'Max', 'Sum', 'Avg', 'StdDev', 'Data'], {
  Count: count,
  Min: num,
  Max: num,
  Sum: num,
  Avg: num,
  StdDev: { type: 'number', minimum: 0 },
  Data: {
    type: 'array',
    items: closedObject(['Start', 'End', 'Percent', 'Count'], {
      Start: num,
      End: num,
      Percent: percent,
      Count: { type: 'integer', minimum: 1 },
    }),
  },
  Percentiles: {
    type: 'array',
    items: closedObject(['Percentile', 'Value'], { Percentile: percent, Value: num }),
  },
});

/**
 * `meshsim run -o fortio`: Fortio's `HTTPRunnerResults` JSON (fortio/fortio fhttp/httprunner.go, periodic/
 * periodic.go, stats/stats.go) — the fields Fortio's `report` and UI read, with Fortio's names and types.
 */
export const fortioResultSchema: JsonSchema = outputDocument(
  'fortio-result',
  'Fortio HTTP runner result (as meshsim writes it)',
  [
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
  {
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
);
