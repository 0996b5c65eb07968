/**
 * Mesh model. Workload: a synthetic mesh of N services in an injected namespace — each a Deployment with 3
 * replicas, a Service, a DestinationRule with 2 subsets and a VirtualService — loaded once; rows are objects per
 * second. Baselines, run in the same process:
 * - `mesh-model/build-*`: loading the same manifests (`loadManifests`: parse, locate, validate) — so the
 *   ratio is what building the cluster, injecting sidecars, the registry and the proxies costs relative to
 *   reading the YAML;
 * - `mesh-model/with-changes-*`: a full `buildMeshModel` of the edited manifests — the ratio is what
 *   `withChanges` saves by sharing the cluster when only Istio resources change;
 * - `mesh-model/analyze-*`: building the model alone — the ratio is the analyzers' share.
 */
import type { Draft } from 'immer';
import { analyze } from '../src/analyze/analyze.js';
import { buildMeshModel } from '../src/istio/model/meshModel.js';
import { findObject, withChanges, type MeshModelDraft } from '../src/istio/model/withChanges.js';
import { loadManifests } from '../src/k8s/load/loadManifests.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

function manifests(n: number): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n'];
  for (let i = 0; i < n; i++) {
    const s = `svc${i}`;
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${s}, namespace: shop}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: ${s}}}\n  template:\n    metadata: {labels: {app: ${s}, version: v${i % 2}}}\n    spec: {containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]}\n`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${s}, namespace: shop}\nspec: {selector: {app: ${s}}, ports: [{name: http, port: 80, targetPort: http}]}\n`,
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${s}, namespace: shop}\nspec: {host: ${s}, subsets: [{name: v0, labels: {version: v0}}, {name: v1, labels: {version: v1}}]}\n`,
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${s}, namespace: shop}\nspec:\n  hosts: [${s}]\n  http:\n  - route:\n    - {destination: {host: ${s}, subset: v${i % 2}}, weight: 90}\n    - {destination: {host: ${s}, subset: v${(i + 1) % 2}}, weight: 10}\n`,
    );
  }
  return docs.join('---\n');
}

const suite: BenchSuite = {
  name: 'mesh-model',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    for (const n of ctx.quick ? [10] : [10, 100]) {
      const inputs = [{ file: 'mesh.yaml', text: manifests(n) }];
      const objects = loadManifests(inputs).objects;
      const rounds = ctx.quick ? 2 : n >= 100 ? 3 : 10;
      const ops = objects.length * rounds;
      ctx.log(`mesh-model: ${n} services, ${objects.length} objects, ${rounds} rounds`);
      rows.push(
        ratioRow(
          `mesh-model/build-${n}-services`,
          'objects/s',
          compareRates(
            ops,
            () => {
              for (let r = 0; r < rounds; r++) buildMeshModel(objects);
            },
            () => {
              for (let r = 0; r < rounds; r++) loadManifests(inputs);
            },
          ),
          'baseline: loadManifests of the same YAML',
        ),
      );
      const model = buildMeshModel(objects);
      const recipe = (draft: Draft<MeshModelDraft>): void => {
        const vs = findObject(draft.objects, 'VirtualService', 'shop', 'svc0');
        const route = (vs?.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route;
        if (route?.[0] !== undefined && route[1] !== undefined)
          [route[0].weight, route[1].weight] = [route[0].weight === 90 ? 80 : 90, route[0].weight === 90 ? 20 : 10];
      };
      const edited = withChanges(model, recipe).objects;
      rows.push(
        ratioRow(
          `mesh-model/with-changes-${n}-services`,
          'objects/s',
          compareRates(
            ops,
            () => {
              for (let r = 0; r < rounds; r++) withChanges(model, recipe);
            },
            () => {
              for (let r = 0; r < rounds; r++) buildMeshModel(edited);
            },
          ),
          'baseline: full buildMeshModel of the edited manifests',
        ),
      );
      rows.push(
        ratioRow(
          `mesh-model/analyze-${n}-services`,
          'objects/s',
          compareRates(
            ops,
            () => {
              for (let r = 0; r < rounds; r++) analyze(buildMeshModel(objects));
            },
            () => {
              for (let r = 0; r < rounds; r++) buildMeshModel(objects);
            },
          ),
          'baseline: buildMeshModel alone',
        ),
      );
    }
    return rows;
  },
};

export default suite;
