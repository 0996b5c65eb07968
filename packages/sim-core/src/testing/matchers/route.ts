/**
 * The logic of `expect(mesh).toRoute(call).to(destination)`, free of any test runner: where `call` goes
 * (see {@link decideRoute}), whether it is routed at all, and whether every candidate cluster is the
 * expected destination. Messages carry the route trace, naming the VirtualService rule (file:line).
 */
import type { RouteCall } from '../../explain/call.js';
import { formatRouteExplanation } from '../../explain/format.js';
import { reachesClusters } from '../../explain/outcomes.js';
import { decideRoute, type RouteDecision } from '../routing/decide.js';
import { describeRule } from '../routing/rules.js';
import { describeCall } from '../properties/requestProperty.js';
import { meshModelOf, type MeshLike } from './meshOf.js';

/** A matcher's verdict. */
export interface MatcherResult {
  readonly pass: boolean;
  /** The failure message (for `.not`, the message when it unexpectedly passes). */
  readonly message: string;
}

/** Where a request is expected to go. Every given field must hold for every candidate cluster. */
export interface RouteDestination {
  /** FQDN, `name.namespace`, or the Service name. */
  readonly host?: string;
  /** DestinationRule subset; `''` for none. */
  readonly subset?: string;
  readonly port?: number;
  /** Envoy cluster name (`outbound|80|v2|reviews.default.svc.cluster.local`, `PassthroughCluster`). */
  readonly cluster?: string;
  /** The VirtualService that routes it: `namespace/name` or `name`. */
  readonly virtualService?: string;
}

/** `host` names `fqdn` (FQDN, `name.namespace`, `name.namespace.svc` or the Service name). */
export function hostNames(host: string, fqdn: string | undefined): boolean {
  if (fqdn === undefined) return false;
  return fqdn === host || fqdn.startsWith(`${host}.`) || (host.includes('.') && fqdn.startsWith(`${host}.svc.`));
}

function describeDecision(d: RouteDecision): string {
  return formatRouteExplanation(d.explanation).replace(/\n$/, '');
}

/** `toRoute(call)` alone: the request reaches an upstream cluster (no 404, no connection failure, no local reply). */
export function routedResult(
  mesh: MeshLike | unknown,
  call: RouteCall,
): { decision: RouteDecision; result: MatcherResult } {
  const decision = decideRoute(meshModelOf(mesh), call);
  const e = decision.explanation;
  const pass = reachesClusters(e);
  const message = pass
    ? `expected ${describeCall(call)} not to be routed, but it goes to ${decision.candidates.map((c) => c.name).join(', ')}\n${describeDecision(decision)}`
    : `expected ${describeCall(call)} to be routed to a cluster, but: ${e.outcome.text}\n${describeDecision(decision)}`;
  return { decision, result: { pass, message } };
}

/** The mismatches between `d` and `want` (empty when it goes there). */
export function destinationMismatches(d: RouteDecision, want: RouteDestination): string[] {
  const out: string[] = [];
  if (d.candidates.length === 0) return [`it reaches no cluster (${d.explanation.outcome.text})`];
  for (const c of d.candidates) {
    const share =
      d.candidates.length > 1 ? ` (${(100 * c.probability).toFixed(2).replace(/\.?0+$/, '')} % of requests)` : '';
    if (want.cluster !== undefined && c.name !== want.cluster)
      out.push(`cluster ${c.name}${share}, not ${want.cluster}`);
    if (want.host !== undefined && !hostNames(want.host, c.host))
      out.push(`host ${c.host ?? c.name}${share}, not ${want.host}`);
    if (want.subset !== undefined && (c.subset ?? '') !== want.subset)
      out.push(
        `subset ${c.subset === undefined || c.subset === '' ? '(none)' : c.subset}${share}, not ${want.subset === '' ? '(none)' : want.subset}`,
      );
    if (want.port !== undefined && c.port !== want.port) out.push(`port ${c.port ?? '?'}${share}, not ${want.port}`);
  }
  if (want.virtualService !== undefined) {
    const vs = d.rule?.virtualService;
    const got = vs === undefined ? undefined : `${vs.namespace}/${vs.name}`;
    const ok =
      got !== undefined &&
      (got === want.virtualService || (!want.virtualService.includes('/') && vs?.name === want.virtualService));
    if (!ok) out.push(`VirtualService ${got ?? '(none)'}, not ${want.virtualService}`);
  }
  return [...new Set(out)];
}

/** `toRoute(call).to(want)`. */
export function destinationResult(d: RouteDecision, want: RouteDestination): MatcherResult {
  const misses = destinationMismatches(d, want);
  const rule = d.rule !== undefined ? ` by ${describeRule(d.rule)}` : '';
  return misses.length === 0
    ? {
        pass: true,
        message: `expected ${describeCall(d.call)} not to go to ${JSON.stringify(want)}, but it does${rule}\n${describeDecision(d)}`,
      }
    : {
        pass: false,
        message: `expected ${describeCall(d.call)} to go to ${JSON.stringify(want)}, but it is routed${rule} to ${misses.join('; ')}\n${describeDecision(d)}`,
      };
}
