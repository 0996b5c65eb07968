/**
 * The running proxy's per-stream shortcuts (the RDS table a connection manager resolved, the cluster and
 * fault configuration looked up last) must answer exactly what a fresh lookup would, before and after
 * a push replaces routes and clusters.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FaultSettings } from '../../envoy/filters/http/fault/faultConfig.js';
import type { HttpConnectionManager } from '../../envoy/config/listener.js';
import type { ProxyConfig } from '../../envoy/config/proxyConfig.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { reviewsMesh } from '../world/testMeshes.js';
import { World } from '../world/world.js';
import type { EnvoyProxy } from './envoyProxy.js';

const routeTo = (subset: string) => ({ http: [{ route: [{ destination: { host: 'reviews', subset } }] }] });
const meshRoutingTo = (subset: string): MeshModel =>
  reviewsMesh({ versions: [{ name: 'v1' }, { name: 'v2' }], virtualService: routeTo(subset) });
const V1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const V2 = 'outbound|9080|v2|reviews.default.svc.cluster.local';

// The sleep pod's sidecar in a world of `model`, and the configuration istiod would push to it for `next`.
function sleepProxy(model: MeshModel, next: MeshModel): { proxy: EnvoyProxy; pushed: ProxyConfig } {
  const world = new World({ model });
  const sleep = world.instances.find((i) => i.labels['app'] === 'sleep');
  const proxy = sleep?.proxy;
  if (sleep === undefined || proxy === undefined) throw new Error('no sleep sidecar');
  const mp = next.proxies.find((p) => p.id === proxy.id);
  if (mp === undefined) throw new Error('no sleep proxy in the next model');
  return { proxy, pushed: new World({ model: next }).proxyConfigFor(mp) };
}

// The connection manager of the outbound HCM that reads RDS route `9080`.
function manager9080(proxy: EnvoyProxy) {
  for (const l of proxy.config.listeners) {
    for (const chain of l.filterChains ?? []) {
      for (const f of chain.filters ?? []) {
        const hcm = f.typedConfig as HttpConnectionManager | undefined;
        if (hcm?.rds?.routeConfigName === '9080') return proxy.manager(hcm, l.name, chain.name ?? '');
      }
    }
  }
  throw new Error('no HCM reading RDS route 9080');
}

const clusterOf = (proxy: EnvoyProxy) => {
  const table = manager9080(proxy).routeTable();
  const action = table?.select({ ':authority': 'reviews:9080', ':path': '/', ':method': 'GET' }, 0)?.route.action;
  return action?.kind === 'cluster' ? action.cluster : undefined;
};

describe('EnvoyProxy lookups across a push', () => {
  it('a connection manager made before a push routes by the pushed RDS table', () => {
    const { proxy, pushed } = sleepProxy(meshRoutingTo('v1'), meshRoutingTo('v2'));
    const m = manager9080(proxy);
    const before = m.routeTable();
    expect(clusterOf(proxy)).toBe(V1);
    proxy.applyConfig(pushed);
    const after = m.routeTable();
    expect(after).not.toBe(before);
    expect(after?.config).toBe(pushed.routes.find((r) => r.name === '9080'));
    const action = after?.select({ ':authority': 'reviews:9080', ':path': '/', ':method': 'GET' }, 0)?.route.action;
    expect(action?.kind === 'cluster' ? action.cluster : undefined).toBe(V2);
  });

  it('a cluster looked up just before a push that removes it is gone after it, and back after the next', () => {
    const model = meshRoutingTo('v1');
    const { proxy } = sleepProxy(model, model);
    const full = proxy.config;
    expect(proxy.threadLocalCluster(V2, 0)).toBe(proxy.cluster(V2)?.threadLocal(0));
    expect(proxy.threadLocalCluster(V2, 0)).toBeDefined();
    proxy.applyConfig({ ...full, clusters: full.clusters.filter((c) => c.name !== V2) });
    expect(proxy.threadLocalCluster(V2, 0)).toBeUndefined();
    proxy.applyConfig(full);
    expect(proxy.threadLocalCluster(V2, 0)).toBeDefined();
    expect(proxy.threadLocalCluster(V2, 1)).toBe(proxy.cluster(V2)?.threadLocal(1));
  });

  // One proxy for every run of the properties below: its maps only grow, which the properties allow for.
  const shared = sleepProxy(meshRoutingTo('v1'), meshRoutingTo('v1')).proxy;

  test.prop([
    fc.array(fc.tuple(fc.constantFrom(V1, V2, 'outbound|9080||reviews.default.svc.cluster.local', 'nope'), fc.nat(1)), {
      maxLength: 30,
    }),
  ])('any sequence of cluster lookups answers what the cluster map holds', (lookups) => {
    for (const [name, worker] of lookups) {
      expect(shared.threadLocalCluster(name, worker)).toBe(shared.cluster(name)?.threadLocal(worker));
    }
  });

  const settings = [0, 1, 2].map(
    (n) => new FaultSettings({ abort: { httpStatus: 500 + n, percentage: { numerator: 10 } } }),
  );
  const first = new Map<string, unknown>();
  const seen = new Set<unknown>();
  test.prop([fc.array(fc.tuple(fc.nat(2), fc.constantFrom('outbound_0.0.0.0_9080', 'inbound_0.0.0.0_9080')))])(
    'the fault configuration is the same object exactly for the same settings and stat prefix',
    (requests) => {
      for (const [n, prefix] of requests) {
        const config = shared.faultFilterConfig(settings[n] as FaultSettings, prefix);
        const key = `${n}|${prefix}`;
        const earlier = first.get(key);
        if (earlier === undefined) {
          expect(seen.has(config)).toBe(false);
          first.set(key, config);
          seen.add(config);
        } else expect(config).toBe(earlier);
      }
    },
  );
});
