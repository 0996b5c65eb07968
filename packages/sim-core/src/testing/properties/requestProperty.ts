/**
 * The common shape of request properties: for every request of an arbitrary, a check on the mesh model;
 * a failing request's counterexample is the 1-minimal set of the model's objects on which the same check
 * still fails the same way, the request, and `meshsim route`'s trace of it on those objects.
 */
import type fc from 'fast-check';
import { meshRequest, ruleRequests, type MeshRequestConstraints } from '../routing/requests.js';
import { ConfigError } from '../../errors.js';
import type { RouteCall } from '../../explain/call.js';
import { formatRouteExplanation } from '../../explain/format.js';
import { route } from '../../explain/route.js';
import { buildMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { headerLines } from '../counterexample/counterexample.js';
import { toManifest } from '../counterexample/manifestYaml.js';
import { minimizeObjects } from '../counterexample/minimize.js';
import type { RouteDecision } from '../routing/decide.js';
import { ruleKey } from '../routing/rules.js';
import type { MeshProperty, Violation } from './property.js';

/** `check` on `model` for `call`; a malformed call (no such pod on a reduced mesh) is "no violation". */
export function safely(
  check: (model: MeshModel, call: RouteCall) => Violation | undefined,
  model: MeshModel,
  call: RouteCall,
): Violation | undefined {
  try {
    return check(model, call);
  } catch (e) {
    if (e instanceof ConfigError) return undefined;
    throw e;
  }
}

/**
 * The requests a property runs on, and the examples it tries first: `options.requests` as given, or
 * {@link meshRequest} with the rule requests as examples.
 */
export function requestsAndExamples(
  model: MeshModel,
  options: MeshRequestConstraints & { readonly requests?: fc.Arbitrary<RouteCall> },
): { requests: fc.Arbitrary<RouteCall>; examples?: readonly RouteCall[] } {
  if (options.requests !== undefined) return { requests: options.requests };
  return {
    requests: meshRequest(model, options),
    ...(options.ruleRequests !== false ? { examples: ruleRequests(model, options) } : {}),
  };
}

/** Builds a request property on `model`. */
export function requestProperty(
  name: string,
  model: MeshModel,
  requests: fc.Arbitrary<RouteCall>,
  check: (model: MeshModel, call: RouteCall) => Violation | undefined,
  options: { readonly minimize?: boolean; readonly examples?: readonly RouteCall[] } = {},
): MeshProperty<RouteCall> {
  return {
    name,
    arbitrary: requests,
    // Every rule's own request first, so each request class is tried whatever the random draws.
    ...(options.examples !== undefined && options.examples.length > 0
      ? { parameters: { examples: options.examples.map((e) => [e] as [RouteCall]) } }
      : {}),
    check: (call) => safely(check, model, call),
    explain(call, violation) {
      let objects = [...model.objects];
      let reduced = model;
      if (options.minimize !== false) {
        objects = minimizeObjects(objects, (subset) => {
          try {
            return safely(check, buildMeshModel(subset, model.options), call)?.code === violation.code;
          } catch {
            return false;
          }
        });
        reduced = buildMeshModel(objects, model.options);
      }
      const again = safely(check, reduced, call) ?? violation;
      let trace: string | undefined;
      try {
        trace = formatRouteExplanation(route(reduced, call));
      } catch {
        trace = undefined;
      }
      return {
        message: again.message,
        objects: objects.map(toManifest),
        request: call,
        ...(trace !== undefined ? { trace } : {}),
      };
    },
  };
}

/**
 * A violation code anchored to what decided it — the rule and the clusters — so that minimization keeps
 * the objects that cause the failure rather than finding another way to fail alike.
 */
export function anchored(kind: string, d: RouteDecision): string {
  return `${kind}|${d.rule !== undefined ? ruleKey(d.rule) : '-'}|${d.candidates.map((c) => c.name).join(',')}`;
}

/** `GET http://host/path` plus headers, for messages. */
export function describeCall(call: RouteCall): string {
  const lines = headerLines(call);
  const who =
    call.from !== undefined
      ? `from ${call.from}`
      : call.gateway !== undefined
        ? `at gateway ${call.gateway}`
        : `to ${call.to ?? '?'}`;
  return `${call.method ?? 'GET'} ${call.url ?? `${call.address ?? ''}:${call.port ?? ''}${call.path ?? ''}`}${lines.length > 0 ? ` (${lines.join(', ')})` : ''} ${who}`;
}
