/**
 * fast-check arbitraries of valid scenarios, in their loaded (normalized) form — for the round-trip
 * property of the format and for runner tests. Every generated scenario satisfies the schema and the
 * semantic rules by construction (unique names, events in time order, exclusive fields, sums ≤ 100 %).
 * Manifests are paths and inline objects whose strings include YAML's ambiguous scalars (`yes`, `on`,
 * `0o17`, `~`), so printing must quote them for Kubernetes' YAML 1.1 as well as YAML 1.2.
 */
import fc from 'fast-check';
import { describeEvent } from './normalize/events.js';
import type { Distribution, InstanceTarget, LabelSelector, ManifestSource, ObjectRef } from './types/common.js';
import { EVENT_ACTIONS, type ScenarioEvent } from './types/events.js';
import type { Expectation, RequestFilter } from './types/expect.js';
import { HOP_CLASSES, type MeshOverrides, type NetworkSpec } from './types/mesh.js';
import type { Scenario } from './types/scenario.js';
import type { RequestTemplate, TrafficGenerator } from './types/traffic.js';
import type { JsonPatchOperation, Variant } from './types/variants.js';
import type { VirtualMachineSpec } from './types/vms.js';
import type { CallStep, DownstreamCall, WorkloadSpec } from './types/workload.js';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const duration = fc.integer({ min: 0, max: 36_000_000_000 }); // up to 10 h, in µs
const positiveDuration = fc.integer({ min: 1, max: 36_000_000_000 });
const percent = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }),
);
/** Strings YAML 1.1 or 1.2 reads as something else unless quoted. */
const trickyString = fc.constantFrom(
  'yes',
  'no',
  'on',
  'off',
  'y',
  'true',
  'null',
  '~',
  '0o17',
  '0x1F',
  '1e3',
  '012',
  '1:20',
  '.5',
  '-',
  '#x',
  'a: b',
  ' x',
  '',
);
const text = fc.oneof(
  trickyString,
  fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s)),
);
const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Drops `undefined` fields, as the loader leaves unset fields out. */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

const labels = fc.dictionary(fc.constantFrom('app', 'version', 'tier', 'team'), label, { maxKeys: 3 });

export const labelSelectorArb: fc.Arbitrary<LabelSelector> = fc
  .record({
    matchLabels: optional(labels),
    matchExpressions: optional(
      fc.array(
        fc.oneof(
          fc.record({
            key: fc.constantFrom('app', 'version'),
            operator: fc.constantFrom('In' as const, 'NotIn' as const),
            values: fc.array(label, { minLength: 1, maxLength: 3 }),
          }),
          fc.record({
            key: fc.constantFrom('app', 'version'),
            operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
          }),
        ),
        { maxLength: 2 },
      ),
    ),
  })
  .map(defined);

export const instanceTargetArb: fc.Arbitrary<InstanceTarget> = fc.oneof(
  fc.record({ namespace: label, pod: label }),
  fc.record({ namespace: label, selector: labelSelectorArb, replica: optional(fc.nat(5)) }).map(defined),
);

export const distributionArb: fc.Arbitrary<Distribution> = fc.oneof(
  duration.map((constant) => ({ constant })),
  positiveDuration.map((mean) => ({ exponential: { mean } })),
  fc
    .tuple(positiveDuration, fc.nat(1_000_000))
    .map(([median, extra]) => ({ lognormal: { median, p99: median + extra } })),
  fc.tuple(duration, fc.nat(1_000_000)).map(([min, extra]) => ({ uniform: { min, max: min + extra } })),
  fc.array(duration, { minLength: 1, maxLength: 5 }).map((samples) => ({ empirical: { samples } })),
  fc
    .tuple(duration, fc.nat(1000), fc.nat(1000))
    .map(([p0, a, b]) => ({ empirical: { percentiles: { p0, p50: p0 + a, p100: p0 + a + b } } })),
);

const host = label.filter((h) => !/^..--/.test(h)); // `xn--…` is punycode, which URL parsing checks
const url = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    host,
    optional(fc.integer({ min: 1, max: 65535 })),
    fc.constantFrom('', '/', '/a/b', '/q?x=1'),
  )
  .map(([scheme, host, port, path]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}`);
const httpUrl = url.map((u) => u.replace(/^https:/, 'http:'));
// Header names are stored lower-cased and sorted.
const headers = fc
  .dictionary(fc.constantFrom('end-user', 'x-canary', 'cookie', 'x-b3-sampled'), text, { maxKeys: 2 })
  .map((h) => {
    const out: Record<string, string> = {};
    for (const k of Object.keys(h).sort()) out[k] = h[k] as string;
    return out;
  });
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE');

const callArb: fc.Arbitrary<DownstreamCall> = fc
  .record({
    url: httpUrl,
    method,
    headers,
    timeout: optional(positiveDuration),
    attempts: fc.integer({ min: 1, max: 3 }),
    onFailure: fc.oneof(fc.constantFrom('propagate' as const, 'ignore' as const), fc.integer({ min: 200, max: 599 })),
  })
  .map(defined);

const callStepArb: fc.Arbitrary<CallStep> = fc.oneof(
  callArb,
  fc.array(callArb, { minLength: 1, maxLength: 3 }).map((parallel) => ({ parallel })),
  distributionArb.map((compute) => ({ compute })),
);

export const workloadArb: fc.Arbitrary<WorkloadSpec> = fc
  .tuple(
    instanceTargetArb,
    fc.record({
      serviceTime: optional(distributionArb),
      concurrency: optional(fc.integer({ min: 1, max: 64 })),
      queueLimit: optional(fc.nat(100)),
      overload: optional(fc.oneof(fc.constant('reset' as const), fc.integer({ min: 200, max: 599 }))),
      errors: optional(
        fc.array(
          fc.record({ httpStatus: fc.integer({ min: 200, max: 599 }), percent: fc.integer({ min: 0, max: 30 }) }),
          { maxLength: 3 },
        ),
      ),
      resets: optional(fc.integer({ min: 0, max: 10 })),
      calls: optional(fc.array(callStepArb, { maxLength: 3 })),
      propagateHeaders: optional(
        fc.uniqueArray(fc.constantFrom('end-user', 'x-request-id', 'cookie'), { maxLength: 3 }),
      ),
    }),
  )
  .map(([target, behaviour]) => defined({ ...target, ...behaviour }));

const meshArb: fc.Arbitrary<MeshOverrides> = fc
  .record({
    outboundTrafficPolicy: optional(
      fc.constantFrom('ALLOW_ANY' as const, 'REGISTRY_ONLY' as const).map((mode) => ({ mode })),
    ),
    connectTimeout: optional(positiveDuration),
    enableAutoMtls: optional(fc.boolean()),
    defaultHttpRetryPolicy: optional(
      fc
        .record({
          attempts: optional(fc.nat(5)),
          perTryTimeout: optional(positiveDuration),
          retryOn: optional(fc.constantFrom('5xx', 'connect-failure,503')),
        })
        .map(defined),
    ),
    defaultConfig: optional(
      fc
        .record({
          concurrency: optional(fc.nat(8)),
          proxyMetadata: optional(
            fc.constantFrom<Record<string, string>>(
              { ISTIO_META_DNS_CAPTURE: 'true' },
              { ISTIO_META_DNS_AUTO_ALLOCATE: 'false' },
            ),
          ),
        })
        .map(defined),
    ),
    compatibility: optional(
      fc
        .record({
          outlierEjectionRule: optional(fc.constantFrom('current' as const, 'legacy' as const)),
          retryBackOff: optional(fc.constantFrom('current' as const, 'legacy' as const)),
        })
        .map(defined),
    ),
  })
  .map(defined);

const networkArb: fc.Arbitrary<NetworkSpec> = fc
  .tuple(
    fc.subarray([...HOP_CLASSES]),
    fc.record({
      latency: optional(distributionArb),
      jitter: optional(distributionArb),
      loss: optional(fc.integer({ min: 0, max: 99 })),
      resets: optional(percent),
    }),
    optional(fc.record({ request: optional(distributionArb), response: optional(distributionArb) }).map(defined)),
  )
  .map(([hops, link, proxy]) => {
    const out: Record<string, unknown> = {};
    for (const h of hops) out[h] = defined(link);
    if (proxy !== undefined) out['proxy'] = proxy;
    return out as NetworkSpec;
  });

const requestArb: fc.Arbitrary<RequestTemplate> = fc.record({
  weight: fc.integer({ min: 1, max: 10 }),
  url,
  method,
  headers,
});

function trafficArb(name: string): fc.Arbitrary<TrafficGenerator> {
  const from = fc.oneof(instanceTargetArb, fc.record({ gateway: fc.record({ namespace: label, name: label }) }));
  const open = fc.record({
    rate: fc.double({ min: 0.001, max: 1e5, noNaN: true }),
    arrival: fc.constantFrom('poisson' as const, 'constant' as const),
  });
  const closed = fc.record({
    connections: fc.integer({ min: 1, max: 64 }),
    qps: fc.nat(1000),
    uniform: fc.boolean(),
    jitter: fc.boolean(),
    noCatchUp: fc.boolean(),
  });
  return fc
    .record({
      from,
      mix: fc.array(requestArb, { minLength: 1, maxLength: 3 }),
      protocol: fc.constantFrom('http' as const, 'http2' as const),
      load: fc.oneof(open, closed),
      startAt: duration,
      duration: positiveDuration,
      requests: optional(fc.integer({ min: 1, max: 1_000_000 })),
    })
    .map((g) => {
      const { load, ...rest } = g;
      const https = g.mix.some((m) => m.url.startsWith('https://'));
      return defined({ name, ...rest, ...load, ...(https ? { sni: 'sni.example.com' } : {}) });
    });
}

const objectRefArb: fc.Arbitrary<ObjectRef> = fc
  .record({
    kind: fc.constantFrom('VirtualService', 'DestinationRule', 'Deployment'),
    namespace: optional(label),
    name: label,
  })
  .map(defined);

const inlineManifest = fc
  .record({
    name: label,
    data: fc.dictionary(
      fc.oneof(
        label,
        trickyString.filter((s) => s !== ''),
      ),
      text,
      { maxKeys: 4 },
    ),
  })
  .map(({ name, data }) => ({ inline: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } }));
const manifestsArb: fc.Arbitrary<ManifestSource[]> = fc.array(
  fc.oneof(
    label.map((p) => ({ path: `${p}.yaml` })),
    inlineManifest,
  ),
  { maxLength: 3 },
);

function eventArb(at: number, index: number): fc.Arbitrary<ScenarioEvent> {
  const name = optional(fc.constantFrom('step', 'shift to 50 %', `event ${index}`));
  const span = optional(positiveDuration);
  const actions: Record<(typeof EVENT_ACTIONS)[number], fc.Arbitrary<object>> = {
    apply: manifestsArb.filter((m) => m.length > 0).map((apply) => ({ apply })),
    delete: fc
      .array(
        fc.oneof(
          objectRefArb,
          label.map((p) => ({ path: `${p}.yaml` })),
        ),
        { minLength: 1, maxLength: 2 },
      )
      .map((d) => ({ delete: d })),
    scale: fc
      .record({
        kind: fc.constantFrom('Deployment' as const, 'StatefulSet' as const),
        namespace: label,
        name: label,
        replicas: fc.nat(10),
      })
      .map((scale) => ({ scale })),
    kill: instanceTargetArb.map((kill) => ({ kill })),
    unready: fc.tuple(instanceTargetArb, span).map(([t, d]) => ({ unready: defined({ ...t, duration: d }) })),
    ready: instanceTargetArb.map((ready) => ({ ready })),
    setWorkload: fc.tuple(workloadArb, span).map(([w, d]) => ({ setWorkload: defined({ ...w, duration: d }) })),
    partition: fc.tuple(label, span).map(([node, d]) => ({ partition: defined({ node, duration: d }) })),
    heal: label.map((node) => ({ heal: { node } })),
  };
  return fc.tuple(fc.constantFrom(...EVENT_ACTIONS), name).chain(([action, n]) =>
    (actions[action] as fc.Arbitrary<object>).map((body) => {
      const event = { at, name: '', ...body } as ScenarioEvent;
      return { ...event, name: n ?? describeEvent(event) };
    }),
  );
}

const jsonPatchArb: fc.Arbitrary<JsonPatchOperation> = fc.oneof(
  fc.record({
    op: fc.constantFrom('add' as const, 'replace' as const, 'test' as const),
    path: fc.constantFrom('/spec/x', '/a~1b/0'),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({ op: fc.constant('remove' as const), path: fc.constantFrom('/spec/x', '/metadata/labels/app') }),
  fc.record({
    op: fc.constantFrom('move' as const, 'copy' as const),
    from: fc.constant('/spec/a'),
    path: fc.constant('/spec/b'),
  }),
);

function variantArb(name: string): fc.Arbitrary<Variant> {
  return fc
    .record({
      description: fc.oneof(fc.constant(''), text),
      patches: fc.array(
        fc
          .record({
            target: objectRefArb,
            mergePatch: optional(fc.dictionary(label, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 2 })),
            jsonPatch: optional(fc.array(jsonPatchArb, { minLength: 1, maxLength: 2 })),
          })
          .filter((p) => p.mergePatch !== undefined || p.jsonPatch !== undefined)
          .map(defined),
        { maxLength: 2 },
      ),
      delete: fc.array(objectRefArb, { maxLength: 2 }),
      manifests: manifestsArb,
      mesh: optional(meshArb),
      network: optional(networkArb),
      workloads: fc.array(workloadArb, { maxLength: 2 }),
    })
    .map((v) => defined({ name, ...v }));
}

function filterArb(trafficNames: readonly string[]): fc.Arbitrary<RequestFilter> {
  return fc
    .tuple(
      fc.record({
        traffic: optional(fc.constantFrom(...trafficNames)),
        source: optional(fc.record({ namespace: optional(label), workload: optional(label) }).map(defined)),
        destination: optional(
          fc
            .record({
              service: optional(fc.constantFrom('reviews', 'nginx.example.com')),
              subset: optional(label),
              version: optional(label),
              port: optional(fc.integer({ min: 1, max: 65535 })),
            })
            .map(defined),
        ),
        responseCode: optional(fc.oneof(fc.constantFrom(0, 200, 503), fc.constantFrom('2xx', '5xx'))),
        responseFlag: optional(fc.constantFrom('UO', 'URX', '-')),
      }),
      optional(fc.tuple(duration, fc.integer({ min: 1, max: 1_000_000 }))),
    )
    .map(([f, w]) => defined({ ...f, window: w === undefined ? undefined : { start: w[0], end: w[0] + w[1] } }));
}

function expectationArb(
  index: number,
  trafficNames: readonly string[],
  variantNames: readonly string[],
): fc.Arbitrary<Expectation> {
  const bounds = fc.tuple(fc.nat(100), fc.nat(100)).map(([a, b]) => ({ min: a, max: a + b }));
  const share = fc.oneof(
    fc.record({ to: filterArb(trafficNames), percent: percent, alpha: fc.constantFrom(0.001, 0.01, 0.05) }),
    fc.record({ to: filterArb(trafficNames), alpha: fc.constant(0.001), min: fc.constant(5) }),
  );
  return fc
    .record({
      name: fc.constantFrom(`expect[${index}]`, 'v2 gets 10 %'),
      variants: optional(fc.subarray(['baseline', ...variantNames], { minLength: 1 })),
      of: filterArb(trafficNames),
      count: optional(bounds),
      share: optional(share),
      errorRate: optional(fc.constant({ max: 1 })),
      statusCodes: optional(fc.constant({ '200': { min: 1 }, '5xx': { max: 0 } })),
      responseFlags: optional(fc.constant({ UO: { max: 0 } })),
      latency: optional(
        fc.tuple(duration, fc.nat(1000)).map(([a, b]) => ({ p50: { max: a }, 'p99.9': { min: a, max: a + b } })),
      ),
      retries: optional(bounds),
      ejections: optional(bounds),
    })
    .map((e) => defined({ ...e, errorRate: e.errorRate ?? { min: 0 } }));
}

const vmArb: fc.Arbitrary<VirtualMachineSpec> = fc
  .record({
    name: label,
    namespace: label,
    address: fc.ipV4(),
    serviceAccount: label,
    labels,
    autoRegisterGroup: optional(label),
    network: fc.constantFrom('', 'vm-network'),
    locality: fc.constantFrom('', 'region-1/zone-a', 'us-east1/us-east1-b/rack-1'),
    proxyMetadata: fc.constantFrom<Record<string, string>>({}, { ISTIO_META_DNS_CAPTURE: 'true' }),
    healthy: fc.boolean(),
  })
  .map(defined);

/** A valid scenario. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    name: label,
    description: fc.oneof(fc.constant(''), text),
    seed: fc.nat(),
    duration: optional(positiveDuration),
    requests: optional(fc.integer({ min: 1, max: 1_000_000 })),
    trafficNames: fc.uniqueArray(label, { minLength: 1, maxLength: 3 }),
    variantNames: fc.uniqueArray(
      label.filter((n) => n !== 'baseline'),
      { maxLength: 3 },
    ),
    eventTimes: fc.array(duration, { maxLength: 4 }).map((ts) => [...ts].sort((a, b) => a - b)),
    manifests: manifestsArb,
    mesh: optional(meshArb),
    network: optional(networkArb),
    vms: fc
      .uniqueArray(vmArb, { maxLength: 2, selector: (v) => v.name })
      .map((vms) => vms.filter((v, i) => vms.findIndex((w) => w.address === v.address) === i)),
    workloads: fc.array(workloadArb, { maxLength: 3 }),
    expectCount: fc.nat(3),
  })
  .chain((s) =>
    fc
      .record({
        traffic: fc.tuple(...s.trafficNames.map((n) => trafficArb(n))),
        events: s.eventTimes.length === 0 ? fc.constant([]) : fc.tuple(...s.eventTimes.map((t, i) => eventArb(t, i))),
        variants: s.variantNames.length === 0 ? fc.constant([]) : fc.tuple(...s.variantNames.map((n) => variantArb(n))),
        expect:
          s.expectCount === 0
            ? fc.constant([])
            : fc.tuple(
                ...Array.from({ length: s.expectCount }, (_, i) => expectationArb(i, s.trafficNames, s.variantNames)),
              ),
      })
      .map(
        ({ traffic, events, variants, expect }) =>
          defined({
            name: s.name,
            description: s.description,
            seed: s.seed,
            duration: s.duration,
            requests: s.requests,
            manifests: s.manifests,
            mesh: s.mesh,
            network: s.network,
            vms: s.vms,
            workloads: s.workloads,
            traffic,
            events,
            variants,
            expect,
          }) as Scenario,
      ),
  )
  // Plain JSON, as a loaded scenario is (no null-prototype objects, no -0).
  .map((s) => JSON.parse(JSON.stringify(s)) as Scenario);
