/**
 * "Traffic split equals the declared weights": for every request, the route table's candidate clusters and
 * their probabilities (Envoy: `weight / Σ weights`, in order, `pickWeightedCluster`) are exactly the
 * destinations the matched VirtualService rule declares with a non-zero weight (istiod drops zero weights),
 * or — with `expected` — the split the user means (`{v1: 90, v2: 10}`). With `empirical`, each distinct
 * route is also sampled (see {@link sampleRoute}, or a simulation through `sample`) and the counts must pass
 * the exact binomial split test at `alpha`.
 */
import type fc from 'fast-check';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { countBy, keyOf, type SplitKey } from '../observations.js';
import { decideRoute, type RouteDecision } from '../routing/decide.js';
import type { MeshRequestConstraints } from '../routing/requests.js';
import { describeRule, httpRouteOf, ruleKey } from '../routing/rules.js';
import { sampleRoute } from '../routing/sample.js';
import { simulateCall } from '../routing/simulateCall.js';
import { formatSplitVerdict, splitTest } from '../split.js';
import type { MeshProperty, Violation } from './property.js';
import { anchored, describeCall, requestProperty, requestsAndExamples } from './requestProperty.js';

/** Options of {@link splitMatchesWeights}. */
export interface SplitMatchesWeightsOptions extends MeshRequestConstraints {
  readonly requests?: fc.Arbitrary<RouteCall>;
  /** The split meant, by `by` key (`{v1: 90, v2: 10}`). @defaultValue the matched rule's declared weights */
  readonly expected?: Readonly<Record<string, number>>;
  /** Only requests for which this holds are checked (e.g. those routed by one VirtualService). */
  readonly where?: (call: RouteCall, decision: RouteDecision) => boolean;
  /** @defaultValue `'subset'` */
  readonly by?: SplitKey;
  /** Allowed difference in percentage points. @defaultValue 1e-9 */
  readonly tolerance?: number;
  /** Also send each distinct route's requests many times and test the counts exactly. */
  readonly empirical?: {
    /** Requests per route. @defaultValue 2000 */
    readonly requests?: number;
    /** @defaultValue 0.001 */
    readonly alpha?: number;
    /**
     * Where the requests go: through the simulated world (`simulation`: sidecar, router, load balancer,
     * applications) or only through the route's own draws (`route`, {@link sampleRoute}: faster).
     * @defaultValue `'simulation'`
     */
    readonly source?: 'simulation' | 'route';
    /** Per-request records for `n` copies of `call`, instead of either source. */
    readonly sample?: (call: RouteCall, n: number, seed: string) => readonly Readonly<Record<string, unknown>>[];
  };
  readonly minimize?: boolean;
}

/** The declared split of the rule behind `d`, by `by` key (shares summing to 1). */
export function declaredSplit(d: RouteDecision, by: SplitKey, model: MeshModel): Record<string, number> | undefined {
  if (d.rule === undefined) return undefined;
  const http = httpRouteOf(model, d.rule);
  const dests = http?.route ?? [];
  if (dests.length === 0) return undefined;
  const kept =
    dests.length === 1
      ? [{ d: dests[0], w: 1 }]
      : dests.filter((x) => (x.weight ?? 0) > 0).map((x) => ({ d: x, w: x.weight as number }));
  const total = kept.reduce((a, b) => a + b.w, 0);
  if (total === 0) return undefined;
  const out: Record<string, number> = {};
  kept.forEach(({ d: dest, w }, i) => {
    // Candidates keep the destinations' order (zero weights dropped): the i-th candidate is the i-th kept one.
    const c = d.candidates[i];
    const key =
      by === 'cluster'
        ? c?.name
        : by === 'host'
          ? (c?.host ?? dest?.destination.host)
          : (dest?.destination.subset ?? '');
    if (key === undefined) return;
    out[key] = (out[key] ?? 0) + w / total;
  });
  return out;
}

function actualSplit(d: RouteDecision, by: SplitKey): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of d.candidates) {
    const key = keyOf({ cluster: c.name }, by) ?? (by === 'subset' ? '' : c.name);
    out[key] = (out[key] ?? 0) + c.probability;
  }
  return out;
}

const pct = (x: number): string => `${(100 * x).toFixed(4).replace(/\.?0+$/, '')} %`;
const show = (s: Readonly<Record<string, number>>): string =>
  Object.keys(s)
    .sort()
    .map((k) => `${k === '' ? '(no subset)' : k}: ${pct(s[k] as number)}`)
    .join(', ');

/** The property: every (selected) request's split is the declared (or expected) one. */
export function splitMatchesWeights(
  model: MeshModel,
  options: SplitMatchesWeightsOptions = {},
): MeshProperty<RouteCall> {
  const ex = requestsAndExamples(model, options);
  const by = options.by ?? 'subset';
  const tolerance = (options.tolerance ?? 1e-9) / 100;
  const tested = new Map<string, Violation | undefined>();
  const check = (m: MeshModel, call: RouteCall): Violation | undefined => {
    const d = decideRoute(m, call);
    if (d.route === undefined || d.candidates.length === 0) return undefined;
    if (options.where !== undefined && !options.where(call, d)) return undefined;
    let want: Record<string, number> | undefined;
    if (options.expected !== undefined) {
      const total = Object.values(options.expected).reduce((a, b) => a + b, 0);
      want = Object.fromEntries(Object.entries(options.expected).map(([k, v]) => [k, v / total]));
    } else want = declaredSplit(d, by, m);
    if (want === undefined) return undefined;
    const got = actualSplit(d, by);
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    const where = d.rule !== undefined ? ` (route: ${describeRule(d.rule)})` : '';
    for (const k of keys) {
      if (Math.abs((want[k] ?? 0) - (got[k] ?? 0)) > tolerance) {
        return {
          code: anchored('analytic', d),
          message: `${describeCall(call)} is split ${show(got)}; expected ${show(want)}${where}`,
        };
      }
    }
    if (options.empirical !== undefined && m === model) {
      const id = `${d.explanation.call.proxy}|${d.explanation.virtualHost ?? ''}|${d.rule !== undefined ? ruleKey(d.rule) : d.explanation.route?.index}`;
      if (!tested.has(id)) {
        const n = options.empirical.requests ?? 2000;
        const alpha = options.empirical.alpha ?? 0.001;
        const records: readonly object[] =
          options.empirical.sample?.(call, n, id) ??
          (options.empirical.source === 'route'
            ? sampleRoute(m, call, { requests: n, seed: id }).outcomes
            : simulateCall(m, call, { requests: n, seed: id }));
        const counts = countBy(records, by);
        const weights = Object.fromEntries(Object.entries(want).map(([k, v]) => [k === '' ? '(none)' : k, v]));
        const verdict = splitTest(counts, weights, alpha);
        tested.set(
          id,
          verdict.pass
            ? undefined
            : {
                code: 'empirical',
                message: `${describeCall(call)}: ${n} sampled requests do not fit ${show(want)}${where}\n${formatSplitVerdict(verdict)}`,
              },
        );
      }
      return tested.get(id);
    }
    return undefined;
  };
  return requestProperty('traffic split equals the declared weights', model, ex.requests, check, {
    ...(ex.examples !== undefined ? { examples: ex.examples } : {}),
    ...(options.minimize !== undefined ? { minimize: options.minimize } : {}),
  });
}
