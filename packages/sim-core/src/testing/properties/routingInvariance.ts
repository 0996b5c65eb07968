/**
 * "Routing is invariant under reordering documents and adding unrelated namespaces": the same request gets
 * the same rule, the same candidate clusters with the same probabilities and the same outcome when the
 * mesh's objects are listed in another order (istiod sorts what it watches; `kubectl apply` order does not
 * matter) and when namespaces with their own Services, Deployments, DestinationRules and VirtualServices
 * are added. A difference means routing depends on something it should not — an ambiguous conflict
 * between VirtualServices, a wildcard host that captures new Services, a Sidecar-less `exportTo` leak.
 */
import fc from 'fast-check';
import type { RouteCall } from '../../explain/call.js';
import { buildMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import { mesh as meshArb, type GeneratedMesh, type MeshConstraints } from '../arbitraries/mesh.js';
import { manifestsYaml, toManifest } from '../counterexample/manifestYaml.js';
import { decideRoute } from '../routing/decide.js';
import { meshRequest, type MeshRequestConstraints } from '../routing/requests.js';
import { ruleKey } from '../routing/rules.js';
import type { MeshProperty } from './property.js';
import { describeCall } from './requestProperty.js';

/** Options of {@link routingInvariance}. */
export interface RoutingInvarianceOptions extends MeshRequestConstraints {
  readonly requests?: fc.Arbitrary<RouteCall>;
  /** The unrelated namespaces added. @defaultValue one or two namespaces with VirtualServices */
  readonly added?: MeshConstraints;
}

/** One run: a request, a permutation of the objects (sort keys) and the namespaces added. */
export interface InvarianceCase {
  readonly request: RouteCall;
  readonly order: readonly number[];
  readonly added: GeneratedMesh;
}

/** What must not change: the rule, the candidates and their probabilities, the outcome. */
export function routingEssence(model: MeshModel, call: RouteCall): string {
  const d = decideRoute(model, call);
  const e = d.explanation;
  return JSON.stringify({
    rule: d.rule !== undefined ? ruleKey(d.rule) : null,
    clusters: d.candidates.map((c) => [c.name, c.probability, c.defined, c.endpoints > 0]),
    outcome: [e.outcome.action, e.outcome.status ?? null, e.outcome.responseFlags ?? null, e.error ?? null],
  });
}

/** The property. */
export function routingInvariance(
  model: MeshModel,
  options: RoutingInvarianceOptions = {},
): MeshProperty<InvarianceCase> {
  const namespaces = [...new Set(model.objects.map((o) => o.metadata.namespace ?? 'default'))];
  const added = meshArb({
    clients: 'none',
    virtualServices: true,
    maxServices: 2,
    maxVersions: 2,
    maxNamespaces: 2,
    ...(options.added ?? {}),
    excludeNamespaces: [...namespaces, ...(options.added?.excludeNamespaces ?? [])],
  });
  // VIPs are allocated per model; a request naming a ClusterIP would change with the model, so names only.
  const requests =
    options.requests ??
    meshRequest(model, { forms: ['short', 'name.namespace', 'name.namespace.svc', 'fqdn'], ...options });
  const arbitrary = fc.record({
    request: requests,
    order: fc.array(fc.nat(), { minLength: model.objects.length, maxLength: model.objects.length }),
    added,
  });
  const variant = (c: InvarianceCase): MeshModel => {
    const order = model.objects.map((o, i) => ({ o, k: c.order[i] ?? 0, i })).sort((a, b) => a.k - b.k || b.i - a.i);
    const extra =
      c.added.objects.length > 0
        ? loadManifestsOrThrow([{ file: 'added.yaml', text: manifestsYaml(c.added.objects) }])
        : [];
    return buildMeshModel([...order.map((x) => x.o), ...extra], model.options);
  };
  const baseline = new Map<string, string>();
  const base = (call: RouteCall): string => {
    const key = JSON.stringify(call);
    let v = baseline.get(key);
    if (v === undefined) {
      v = routingEssence(model, call);
      baseline.set(key, v);
    }
    return v;
  };
  const diff = (c: InvarianceCase): { before: string; after: string } | undefined => {
    const before = base(c.request);
    const after = routingEssence(variant(c), c.request);
    return before === after ? undefined : { before, after };
  };
  return {
    name: 'routing is invariant under reordering documents and adding unrelated namespaces',
    arbitrary,
    // Each run builds a mesh model (tens of milliseconds): fewer runs than fast-check's 100 by default.
    parameters: { numRuns: 30 },
    check(c) {
      const d = diff(c);
      if (d === undefined) return undefined;
      return {
        code: 'changed',
        message: `${describeCall(c.request)} is routed differently after reordering the documents and adding namespace(s) ${c.added.namespaces.join(', ')}:\nbefore: ${d.before}\nafter:  ${d.after}`,
      };
    },
    explain(c, violation) {
      return {
        message: violation.message,
        objects: [...model.objects.map(toManifest), ...c.added.objects],
        request: c.request,
      };
    },
  };
}
