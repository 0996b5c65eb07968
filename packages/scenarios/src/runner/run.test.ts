import { join } from 'node:path';
import { ConfigError } from '@meshsim/sim-core';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, type LoadedScenario } from '../load/loadScenario.js';
import { planRun } from './plan.js';
import { replicate } from './replications.js';
import { run, type RunProgress } from './run.js';

const LIBRARY = join(import.meta.dirname, '..', 'library');
let canary: LoadedScenario;
let sidecar: LoadedScenario;
beforeAll(async () => {
  canary = await loadScenario(join(LIBRARY, 'canary', 'scenario.yaml'));
  sidecar = await loadScenario(join(LIBRARY, 'sidecar-basics', 'scenario.yaml'));
});

// A scenario whose traffic starts in three client pods: the generator's load is shared between them.
async function threeClients(traffic: string): Promise<LoadedScenario> {
  const text = `name: three-clients
manifests:
  - sidecar-basics/manifests/
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: clients, namespace: sidecar}
    spec:
      replicas: 3
      selector: {matchLabels: {app: clients}}
      template:
        metadata: {labels: {app: clients}}
        spec: {containers: [{name: c, image: curlimages/curl}]}
traffic:
  - name: load
    from: {namespace: sidecar, selector: {matchLabels: {app: clients}}}
    url: http://nginx/
${traffic}`;
  return loadScenario({ file: join(LIBRARY, 'three-clients.yaml'), text });
}

describe('run()', () => {
  it('is deterministic: the same seed gives the same result, another seed another digest', () => {
    const a = run(canary, { duration: 10_000_000 }).result;
    const b = run(canary, { duration: 10_000_000 }).result;
    const c = run(canary, { duration: 10_000_000, seed: 2 }).result;
    expect(b).toEqual(a);
    expect(c.digest).not.toBe(a.digest);
  });

  it('accounts for every request: generators send what completes, destinations add up to the generated requests', () => {
    const r = run(canary, { duration: 20_000_000 }).result;
    const generated = r.generators.reduce((a, g) => a + g.requests, 0);
    for (const g of r.generators) {
      expect(g.completed).toBe(g.sent);
      expect(g.requests).toBe(g.sent);
      expect(Object.values(g.statusCodes).reduce((a, b) => a + b, 0)).toBe(g.requests);
    }
    // canary's apps make no calls of their own: every outcome is a generated request.
    expect(r.destinations.reduce((a, d) => a + d.requests, 0)).toBe(generated);
    const shares = r.destinations
      .filter((d) => d.service === 'canary.canary.svc.cluster.local')
      .reduce((a, d) => a + d.share, 0);
    expect(shares).toBeCloseTo(100, 9);
    for (const d of r.destinations) expect(d.pods.reduce((a, p) => a + p.requests, 0)).toBe(d.requests);
  });

  it('--requests and --duration override every generator: counts are exact for closed loops, no request starts late', () => {
    const byCount = run(sidecar, { requests: 37 }).result;
    expect(byCount.generators[0]?.sent).toBe(37);
    const starts: number[] = [];
    const byTime = run(canary, {
      duration: 5_000_000,
      onOutcome: (o, g) => void (g !== undefined && starts.push(o.startTime)),
    });
    // Fortio's schedule puts a closed loop's last request at the very end (periodic.go runQPSSetup).
    expect(Math.max(...starts)).toBeLessThanOrEqual(5_000_000);
    expect(byTime.plan.generators.every((g) => g.duration === 5_000_000 && g.requests === undefined)).toBe(true);
  });

  it('reports progress with simulated time that never goes back, ending at the run end', () => {
    const seen: RunProgress[] = [];
    const out = run(canary, { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.requests).toBeGreaterThanOrEqual(seen[i - 1]!.requests);
    expect(seen[seen.length - 1]).toEqual({
      now: out.result.simulatedTime,
      horizon: 90_000_000,
      requests: 1834,
      plannedRequests: 1890,
    });
  });

  it('refuses an unknown variant before time 0', () => {
    expect(() => run(canary, { variant: 'fifty' })).toThrow(ConfigError);
  });

  it('evaluates only the expectations that apply to the variant', () => {
    const names = (v: string) =>
      run(canary, { variant: v, duration: 2_000_000 }).result.expectations.map((x) => x.name);
    expect(names('baseline')).toHaveLength(5);
    expect(names('fifty-fifty')).not.toContain('10 % of users reach v2 before the first shift');
  });
});

describe('planRun(): a generator whose `from` selects several pods', () => {
  test.prop([fc.double({ min: 1, max: 500, noNaN: true }), fc.integer({ min: 1, max: 1000 })], { numRuns: 15 })(
    'open loop: each pod sends rate/3, the request counts add up',
    async (rate, requests) => {
      const plan = planRun(await threeClients(`    rate: ${rate}\n    requests: ${requests}\n`));
      const specs = plan.world.traffic ?? [];
      expect(specs.map((s) => s.name)).toEqual(['load.0', 'load.1', 'load.2']);
      expect(new Set(specs.map((s) => JSON.stringify(s.source))).size).toBe(3);
      for (const s of specs) expect('rate' in s && s.rate).toBeCloseTo(rate / 3, 9);
      expect(specs.reduce((a, s) => a + (s.requests ?? 0), 0)).toBe(requests);
      expect(plan.worldGenerators.every((w) => w.generator === 'load')).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 500 })], {
    numRuns: 15,
  })(
    'closed loop: connections are dealt out, qps and requests follow them, pods without a connection send nothing',
    async (connections, qps, requests) => {
      const plan = planRun(
        await threeClients(`    connections: ${connections}\n    qps: ${qps}\n    requests: ${requests}\n`),
      );
      const specs = (plan.world.traffic ?? []).filter((s) => 'connections' in s) as {
        connections: number;
        qps: number;
        requests?: number;
      }[];
      expect(specs).toHaveLength(Math.min(3, connections));
      expect(specs.reduce((a, s) => a + s.connections, 0)).toBe(connections);
      expect(specs.reduce((a, s) => a + s.qps, 0)).toBeCloseTo(qps, 9);
      expect(specs.reduce((a, s) => a + (s.requests ?? 0), 0)).toBe(requests);
    },
  );

  it('the split generator is reported under its own name, from every pod, and sends its requests', async () => {
    const r = run(await threeClients('    rate: 30\n    requests: 90\n')).result;
    expect(r.generators).toHaveLength(1);
    expect(r.generators[0]?.from).toHaveLength(3);
    expect(r.generators[0]?.requests).toBe(90);
  });
});

describe('replicate()', () => {
  it('runs once per seed and estimates each metric by the mean of its per-run values, with a t interval', () => {
    const rep = replicate(sidecar, { seeds: [1, 2, 3, 4] });
    expect(rep.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    const p50 = rep.generators[0]?.p50;
    const values = rep.runs.map((r) => r.generators[0]?.latency?.p50 ?? NaN);
    expect(p50?.values).toEqual(values);
    expect(p50?.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 4, 9);
    expect(p50?.interval.lower).toBeLessThan(p50?.mean ?? 0);
    expect(p50?.interval.upper).toBeGreaterThan(p50?.mean ?? 0);
    expect(rep.expectations.every((x) => x.runs === 4)).toBe(true);
  });
});

describe('expectations on destination.port', () => {
  it('match the Service port a request was sent to (endpoint port mapped back through targetPort)', async () => {
    // httpbin's Service maps port 8000 to the pods' 8080.
    const text = `name: ports
manifests: [circuit-breaker/manifests/]
traffic:
  - from: {selector: {matchLabels: {app: fortio}}}
    url: http://httpbin:8000/get
    connections: 1
    requests: 10
expect:
  - of: {destination: {service: httpbin, port: 8000}}
    count: {min: 10, max: 10}
  - of: {destination: {service: httpbin, port: 8080}}
    count: {max: 0}
`;
    const loaded = await loadScenario({ file: join(LIBRARY, 'ports.yaml'), text });
    expect(run(loaded).result.expectations.map((x) => x.passed)).toEqual([true, true]);
  });
});

describe('events become the world’s timed changes', () => {
  it('setWorkload, scale, unready, partition/heal and delete each show in the traffic when they should', async () => {
    const text = `name: events
manifests: [sidecar-basics/manifests/]
duration: 30s
traffic:
  - name: curl
    from: {namespace: sidecar, selector: {matchLabels: {app: toolbox}}}
    url: http://nginx/
    rate: 50
events:
  - at: 2s
    setWorkload: {namespace: sidecar, selector: {matchLabels: {app: nginx}}, errors: [{httpStatus: 503, percent: 100}], duration: 2s}
  - at: 5s
    scale: {namespace: sidecar, name: nginx-deployment, replicas: 3}
  - at: 15s
    unready: {namespace: sidecar, selector: {matchLabels: {app: nginx}}, replica: 0, duration: 5s}
  - at: 22s
    partition: {node: node-1}
  - at: 24s
    heal: {node: node-1}
  - at: 27s
    delete: [{kind: Service, namespace: sidecar, name: nginx}]
expect:
  - name: the failing workload, for its 2 s
    of: {traffic: curl, window: {start: 2s, end: 4s}}
    share: {to: {responseCode: 503}, min: 100}
  - name: healthy again after it
    of: {traffic: curl, window: {start: 4100ms, end: 15s}}
    errorRate: {max: 0}
  - name: the partitioned node's pod fails while it is cut off
    of: {traffic: curl, window: {start: 22s, end: 24s}}
    statusCodes: {"5xx": {min: 1}}
  - name: a deleted Service no longer resolves
    of: {traffic: curl, window: {start: 27500ms}}
    share: {to: {responseCode: 0}, min: 100}
`;
    const out = run(await loadScenario({ file: join(LIBRARY, 'events.yaml'), text }));
    expect(out.result.expectations.filter((x) => !x.passed)).toEqual([]);
    // kubectl scale: three nginx pods served requests in the end.
    const nginx = out.result.destinations.find((d) => d.service === 'nginx.sidecar.svc.cluster.local');
    expect(nginx?.pods.map((p) => p.pod)).toHaveLength(3);
    expect(out.result.events.map((e) => e.at)).toEqual([2e6, 5e6, 15e6, 22e6, 24e6, 27e6]);
  });
});
