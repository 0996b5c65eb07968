/**
 * "Every request class reaches a defined destination": a request to a Service of the mesh is routed to an
 * upstream cluster that the proxy has (CDS) and that has endpoints — never a 404 (`NR`: no virtual host or
 * no route), never istiod's `block_all` (502) or `BlackHoleCluster`, never a cluster that does not exist
 * (503 `NC`, e.g. a subset missing from the DestinationRule) or has no endpoint (503 `UH`, e.g. a subset
 * whose labels select no pod), and — unless allowed — not `PassthroughCluster`, which bypasses the
 * Service's routing. `intended` exempts requests whose failure is the point.
 */
import type fc from 'fast-check';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { decideRoute, type RouteDecision } from '../routing/decide.js';
import type { MeshRequestConstraints } from '../routing/requests.js';
import { describeRule } from '../routing/rules.js';
import type { MeshProperty, Violation } from './property.js';
import { anchored, describeCall, requestProperty, requestsAndExamples } from './requestProperty.js';

/** Options of {@link everyRequestReachesDestination}. */
export interface ReachesDestinationOptions extends MeshRequestConstraints {
  /** The requests to check. @defaultValue {@link meshRequest} of the model with these constraints */
  readonly requests?: fc.Arbitrary<RouteCall>;
  /** Requests whose failure is intended (a deliberate 404, a blocked host). @defaultValue none */
  readonly intended?: (call: RouteCall, decision: RouteDecision) => boolean;
  /** Accept `PassthroughCluster` (`allow_any`). @defaultValue false */
  readonly allowPassthrough?: boolean;
  /** Require an endpoint behind every candidate cluster. @defaultValue true */
  readonly requireEndpoints?: boolean;
  /** Shrink the counterexample's objects. @defaultValue true */
  readonly minimize?: boolean;
}

/** The violation of `decision`, if any. */
export function destinationViolation(
  model: MeshModel,
  d: RouteDecision,
  options: ReachesDestinationOptions = {},
): Violation | undefined {
  const e = d.explanation;
  const at = d.rule !== undefined ? `; route: ${describeRule(d.rule)}` : '';
  const req = describeCall(d.call);
  if (e.error !== undefined) return { code: e.error, message: `${req} does not get through: ${e.outcome.text}${at}` };
  if (e.route?.name === 'block_all' || e.clusters.some((c) => c.name === 'BlackHoleCluster')) {
    return {
      code: 'black_hole',
      message: `${req} is blocked: ${e.outcome.text} (outboundTrafficPolicy REGISTRY_ONLY or BlackHoleCluster)${at}`,
    };
  }
  if (
    options.allowPassthrough !== true &&
    (e.route?.name === 'allow_any' || e.clusters.some((c) => c.name === 'PassthroughCluster'))
  ) {
    return {
      code: 'passthrough',
      message: `${req} leaves through PassthroughCluster: no Service route matches its Host${at}`,
    };
  }
  if (e.clusters.length === 0) return undefined; // a configured redirect or direct response
  for (const c of d.candidates) {
    if (!c.defined) {
      const subset =
        c.subset !== undefined && c.subset !== ''
          ? ` (no DestinationRule defines subset "${c.subset}" for ${c.host ?? '?'})`
          : '';
      return {
        code: `cluster_not_found:${c.name}`,
        message: `${req} → ${c.name}, which is not a cluster of the proxy: 503 NC${subset}${at}`,
      };
    }
    if (options.requireEndpoints !== false && c.endpoints === 0) {
      // Pods back the Service, just none with the subset's labels — or no pod backs it at all.
      const serviceHasPods = model.registry.endpoints.some(
        (x) => x.hostname === c.host && (c.port === undefined || x.servicePort === c.port),
      );
      const subset = c.subset !== undefined && c.subset !== '';
      const why =
        subset && serviceHasPods
          ? `pods back ${c.host ?? 'the Service'}, but none has the labels of subset "${c.subset}"`
          : `no ready pod backs ${c.host ?? 'the Service'}`;
      return {
        code: `${subset && serviceHasPods ? 'no_endpoints_in_subset' : 'no_endpoints'}:${c.name}`,
        message: `${req} → ${c.name}, which has no endpoint: 503 UH (${why})${at}`,
      };
    }
  }
  return undefined;
}

/** The property: every request (of `options.requests`) reaches a defined destination with endpoints. */
export function everyRequestReachesDestination(
  model: MeshModel,
  options: ReachesDestinationOptions = {},
): MeshProperty<RouteCall> {
  const ex = requestsAndExamples(model, options);
  return requestProperty(
    'every request reaches a defined destination',
    model,
    ex.requests,
    (m, call) => {
      const d = decideRoute(m, call);
      const v = destinationViolation(m, d, options);
      if (v === undefined || options.intended?.(call, d) === true) return undefined;
      return { ...v, code: anchored(v.code, d) };
    },
    {
      ...(ex.examples !== undefined ? { examples: ex.examples } : {}),
      ...(options.minimize !== undefined ? { minimize: options.minimize } : {}),
    },
  );
}
