/**
 * istiod translation benchmarks: `buildProxyConfig` for a sidecar in a mesh of N services (N = 10, 100,
 * 1000; one Deployment + Service each, spread over namespaces of 10), the push context (istiod's per-push
 * indexes) already built, as istiod reuses it for every proxy of a push. Baseline, same run: a JSON
 * round trip of the configuration produced (serialize + parse) — the floor any producer of that much
 * config pays, so the ratio says how many "output copies" one translation costs. Size rows report what
 * the sidecar receives (the seed's warning: every service costs config), and how much a Sidecar resource
 * restricting egress to the proxy's namespace saves — in bytes and in translation time (`-sidecar-scoped` rows,
 * against the same proxy's unscoped translation). `xds/mesh-model-and-push-context-*` is the one-off cost
 * before the first proxy (building the mesh model from the manifests and the push context), timed once
 * (the 10-service row includes the JIT's warm-up).
 */
import { buildProxyConfig } from '../src/istio/xds/buildProxyConfig.js';
import { pushContextOf } from '../src/istio/xds/pushContext.js';
import { deployment, modelOf, namespace, service } from '../src/istio/xds/testing/manifests.js';
import type { MeshModel } from '../src/istio/model/meshModel.js';
import { compareRates, ratioRow, time, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

function mesh(services: number, scoped: boolean): MeshModel {
  const docs: string[] = [];
  const namespaces = Math.max(1, Math.ceil(services / 10));
  for (let n = 0; n < namespaces; n++) docs.push(namespace(`ns${n}`));
  docs.push(deployment('client', 'ns0'));
  for (let i = 0; i < services; i++) {
    const ns = `ns${i % namespaces}`;
    docs.push(
      deployment(`svc${i}`, ns, { ports: [8080] }),
      service(`svc${i}`, ns, [
        { name: i % 5 === 0 ? 'tcp' : 'http', port: i % 5 === 0 ? 9000 + i : 80, targetPort: 8080 },
      ]),
    );
  }
  if (scoped)
    docs.push(
      `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: ns0\nspec:\n  egress:\n  - hosts: ["./*", "istio-system/*"]\n`,
    );
  // Enough nodes for every pod: the default 3 nodes take 110 pods each (kubelet's --max-pods), and the rest
  // would stay Pending — a 1,000-service mesh would then translate with a third of its endpoints.
  return modelOf(docs, { cluster: { nodes: { count: Math.ceil((services + 10) / 100) } } });
}

export const suite: BenchSuite = {
  name: 'xds',
  run(ctx) {
    const rows: BenchRow[] = [];
    for (const n of ctx.quick ? [10, 100] : [10, 100, 1000]) {
      let model: MeshModel | undefined;
      const loadSeconds = time(() => {
        model = mesh(n, false);
        pushContextOf(model);
      });
      const m = model as MeshModel;
      ctx.log(`xds: mesh of ${n} services loaded in ${loadSeconds.toFixed(2)} s`);
      const config = buildProxyConfig(m, 'client.ns0');
      const reps = n >= 1000 ? 3 : n >= 100 ? 20 : 100;
      const rates = compareRates(
        reps,
        () => {
          for (let i = 0; i < reps; i++) buildProxyConfig(m, 'client.ns0');
        },
        () => {
          for (let i = 0; i < reps; i++) JSON.parse(JSON.stringify(config));
        },
        5,
      );
      rows.push(
        ratioRow(`xds/buildProxyConfig-sidecar-${n}-services`, 'configs/s', rates, 'JSON round trip of the output'),
      );
      rows.push({
        name: `xds/mesh-model-and-push-context-${n}-services`,
        value: loadSeconds,
        unit: 's',
        baseline: null,
        ratio: null,
        note: 'once per mesh (per what-if variant), before any proxy',
      });
      const s = config.size;
      rows.push({
        name: `xds/config-size-${n}-services`,
        value: s.bytes,
        unit: 'bytes',
        baseline: null,
        ratio: null,
        note: `${s.listeners} listeners, ${s.routeConfigurations} routes (${s.virtualHosts} vhosts), ${s.clusters} clusters, ${s.endpoints} endpoints`,
      });
      const scopedModel = mesh(n, true);
      pushContextOf(scopedModel);
      const scoped = buildProxyConfig(scopedModel, 'client.ns0').size;
      rows.push(
        ratioRow(
          `xds/buildProxyConfig-sidecar-scoped-${n}-services`,
          'configs/s',
          compareRates(
            reps,
            () => {
              for (let i = 0; i < reps; i++) buildProxyConfig(scopedModel, 'client.ns0');
            },
            () => {
              for (let i = 0; i < reps; i++) buildProxyConfig(m, 'client.ns0');
            },
            5,
          ),
          'baseline: the same proxy without the Sidecar resource',
        ),
      );
      rows.push({
        name: `xds/config-size-${n}-services-sidecar-scoped`,
        value: scoped.bytes,
        unit: 'bytes',
        baseline: s.bytes,
        ratio: scoped.bytes / s.bytes,
        note: 'baseline: without a Sidecar resource',
      });
    }
    return rows;
  },
};

export default suite;
