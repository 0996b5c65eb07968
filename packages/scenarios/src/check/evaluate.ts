/**
 * Evaluates one expanded rule test against the mesh: routes the request with `decideRoute` (the
 * configuration istiod pushes to the sending proxy, matched as Envoy matches it) and compares every given
 * expectation, each failure a line in Istio's words. Nothing is sampled: shares and statuses are exact.
 */
import { ConfigError, envoy, parseDuration, reachesClusters, type MeshModel, type RouteCall } from '@meshsim/sim-core';
import {
  decideRoute,
  destinationMismatches,
  describeRule,
  guessKey,
  type RouteDecision,
} from '@meshsim/sim-core/testing';
import type { ExpandedRequest } from './expand.js';
import type { RouterCheckExpectations } from './routerCheck.js';
import type { CaseResult, Expectations, RequestCase, RuleTest } from './types.js';

/** Senders for tests that name none (`meshsim check --from` / `--gateway`). */
export interface SenderDefaults {
  readonly from?: string;
  readonly gateway?: string;
}

/** The default ingress gateway pod an `external: true` client reaches. */
export const DEFAULT_INGRESS = 'istio-ingressgateway.istio-system';

const pct = (x: number): string => `${(Math.round(x * 1e6) / 1e4).toString()} %`;

function durationUs(text: string | undefined): number | undefined {
  if (text === undefined || text === 'none') return 0;
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

/** The RouteCall for an expanded request. */
export function routeCallOf(
  e: ExpandedRequest,
  defaults: SenderDefaults,
  test: RuleTest,
): { call: RouteCall; request: RequestCase } {
  const r = e.request;
  let sender: { from: string } | { gateway: string };
  if (r.from !== undefined) sender = { from: r.from };
  else if (r.gateway !== undefined) sender = { gateway: r.gateway };
  else if (r.external !== undefined)
    sender = { gateway: typeof r.external === 'string' ? r.external : DEFAULT_INGRESS };
  else if (defaults.from !== undefined) sender = { from: defaults.from };
  else if (defaults.gateway !== undefined) sender = { gateway: defaults.gateway };
  else {
    throw new ConfigError(
      `test "${test.name}" names no sender: give request.from, gateway or external (or --from POD / --gateway POD)`,
      {
        file: test.file,
        line: test.line,
        field: 'request.from',
      },
    );
  }
  // The test's request and the RouteCall are the same fields: one object serves as both.
  const request: RequestCase & RouteCall = {
    ...sender,
    url: r.url,
    method: r.method,
    headers: r.headers,
    ...(r.protocol !== undefined ? { protocol: r.protocol } : {}),
    ...(r.tls !== undefined ? { tls: r.tls } : {}),
    ...(r.sni !== undefined ? { sni: r.sni } : {}),
  };
  return { call: request, request };
}

function tokens(s: string | undefined): string {
  return (s ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .sort()
    .join(',');
}

/** Failures of the meshsim-format expectations. */
export function checkExpectations(d: RouteDecision, x: Expectations): string[] {
  const out: string[] = [];
  const e = d.explanation;
  if (x.error !== undefined) {
    if (e.error !== x.error) out.push(`expected error ${x.error}, got ${e.error ?? `none (${e.outcome.text})`}`);
  } else if (
    x.host !== undefined ||
    x.subset !== undefined ||
    x.port !== undefined ||
    x.cluster !== undefined ||
    x.share !== undefined
  ) {
    if (!reachesClusters(e)) out.push(`expected the request to reach a cluster, but: ${e.outcome.text}`);
  }
  if (
    out.length === 0 &&
    (x.host !== undefined || x.subset !== undefined || x.port !== undefined || x.cluster !== undefined)
  ) {
    const want = {
      ...(x.host !== undefined ? { host: x.host } : {}),
      ...(x.subset !== undefined ? { subset: x.subset } : {}),
      ...(x.port !== undefined ? { port: x.port } : {}),
      ...(x.cluster !== undefined ? { cluster: x.cluster } : {}),
    };
    for (const m of destinationMismatches(d, want)) out.push(`goes to ${m}`);
  }
  if (x.virtualService !== undefined) {
    for (const m of destinationMismatches(d, { virtualService: x.virtualService })) out.push(`routed by ${m}`);
  }
  if (x.route !== undefined) {
    const r = d.rule;
    const got = r === undefined ? 'no VirtualService rule' : describeRule(r);
    if (r === undefined) out.push(`expected rule ${JSON.stringify(x.route)}, got ${got}`);
    else {
      if (x.route.http !== undefined && r.httpRoute !== x.route.http)
        out.push(`expected spec.http[${x.route.http}], got ${got}`);
      if (x.route.match !== undefined && r.match !== x.route.match)
        out.push(`expected match[${x.route.match}], got ${got}`);
      if (x.route.name !== undefined && r.httpRouteName !== x.route.name)
        out.push(`expected the http route named "${x.route.name}", got ${got}`);
    }
  }
  if (x.status !== undefined) {
    const want = typeof x.status === 'number' ? [x.status] : x.status;
    const bad = d.statuses.filter((s) => !want.includes(s.status));
    if (bad.length > 0) {
      out.push(
        `expected status ${want.join(' or ')}, but the request can get ${d.statuses.map((s) => `${s.status}${s.flags !== undefined ? ` ${s.flags}` : ''} (${pct(s.probability)}: ${s.why})`).join(', ')}`,
      );
    }
  }
  if (x.redirect !== undefined) {
    if (d.redirect === undefined) out.push(`expected a redirect, got ${e.outcome.text}`);
    else {
      if (x.redirect.location !== undefined && d.redirect.location !== x.redirect.location)
        out.push(`expected redirect to ${x.redirect.location}, got ${d.redirect.location}`);
      if (x.redirect.status !== undefined && d.redirect.status !== x.redirect.status)
        out.push(`expected redirect status ${x.redirect.status}, got ${d.redirect.status}`);
    }
  }
  if (x.rewrite !== undefined) {
    if (x.rewrite.path !== undefined && d.rewrite?.path !== x.rewrite.path)
      out.push(
        `expected the path rewritten to ${x.rewrite.path}, got ${d.rewrite?.path ?? `no rewrite (${e.call.path ?? '/'})`}`,
      );
    if (x.rewrite.authority !== undefined && d.rewrite?.authority !== x.rewrite.authority)
      out.push(
        `expected the authority rewritten to ${x.rewrite.authority}, got ${d.rewrite?.authority ?? 'no rewrite'}`,
      );
  }
  if (x.fault !== undefined) {
    const f = d.fault;
    if (x.fault === 'none') {
      if (f !== undefined) out.push(`expected no fault, got ${JSON.stringify(f)}`);
    } else {
      const same = (a: unknown, b: unknown): boolean =>
        typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b;
      for (const kind of ['abort', 'delay'] as const) {
        const want = x.fault[kind] as Record<string, unknown> | undefined;
        if (want === undefined) continue;
        const got = f?.[kind] as Record<string, unknown> | undefined;
        if (got === undefined) out.push(`expected a fault ${kind}, got none`);
        else
          for (const [k, v] of Object.entries(want)) {
            const ok = k === 'fixedDelay' ? durationUs(String(v)) === durationUs(String(got[k])) : same(v, got[k]);
            if (!ok) out.push(`expected fault.${kind}.${k} ${JSON.stringify(v)}, got ${JSON.stringify(got[k])}`);
          }
      }
    }
  }
  if (x.timeout !== undefined) {
    const want = durationUs(x.timeout);
    const got = durationUs(d.timeout ?? '0s');
    if (want !== got)
      out.push(`expected timeout ${x.timeout}, got ${d.timeout === undefined || got === 0 ? 'none' : d.timeout}`);
  }
  if (x.retries !== undefined) {
    const r = d.retries;
    if (x.retries === 'none') {
      if (r !== undefined && r.attempts > 0) out.push(`expected no retries, got ${JSON.stringify(r)}`);
    } else {
      if (x.retries.attempts !== undefined && (r?.attempts ?? 0) !== x.retries.attempts)
        out.push(`expected ${x.retries.attempts} retry attempts, got ${r?.attempts ?? 0}`);
      if (
        x.retries.perTryTimeout !== undefined &&
        durationUs(x.retries.perTryTimeout) !== durationUs(r?.perTryTimeout)
      ) {
        out.push(`expected perTryTimeout ${x.retries.perTryTimeout}, got ${r?.perTryTimeout ?? 'none'}`);
      }
      if (x.retries.retryOn !== undefined && tokens(x.retries.retryOn) !== tokens(r?.retryOn))
        out.push(`expected retryOn ${x.retries.retryOn}, got ${r?.retryOn ?? 'none'}`);
    }
  }
  if (x.share !== undefined && d.route !== undefined && d.candidates.length > 0) {
    const by = guessKey(Object.keys(x.share));
    const total = Object.values(x.share).reduce((a, b) => a + b, 0);
    const got: Record<string, number> = {};
    for (const c of d.candidates) {
      const key = by === 'cluster' ? c.name : by === 'host' ? (c.host ?? c.name) : (c.subset ?? '');
      got[key] = (got[key] ?? 0) + c.probability;
    }
    const tol = (x.tolerance ?? 0) / 100 + 1e-12;
    for (const k of [...new Set([...Object.keys(x.share), ...Object.keys(got)])].sort()) {
      const want = total > 0 ? (x.share[k] ?? 0) / total : 0;
      if (Math.abs((got[k] ?? 0) - want) > tol)
        out.push(`expected ${k === '' ? '(no subset)' : k} to get ${pct(want)} of requests, got ${pct(got[k] ?? 0)}`);
    }
  }
  return out;
}

/** Failures of router_check_tool's assertions (router.cc `compare*`). */
export function checkRouterCheck(
  d: RouteDecision,
  x: RouterCheckExpectations,
  randomValue: number,
  authority: string,
): string[] {
  const out: string[] = [];
  const action = d.route?.route;
  const entry = action !== undefined && d.redirect === undefined; // a route entry (not redirect / direct response)
  let cluster = '';
  if (entry)
    cluster =
      action.weightedClusters !== undefined
        ? (envoy.pickWeightedCluster(action.weightedClusters, randomValue) ?? '')
        : (action.cluster ?? '');
  const cmp = (what: string, want: string | number, got: string | number): void => {
    if (want !== got) out.push(`${what}: expected [${want}], actual [${got}]`);
  };
  if (x.noRoute === true && entry) out.push(`expected no route, but it is routed to ${cluster}`);
  if (x.cluster !== undefined) cmp('cluster_name', x.cluster, cluster);
  if (x.virtualHost !== undefined)
    cmp('virtual_host_name', x.virtualHost, entry ? (d.explanation.virtualHost ?? '') : '');
  if (x.virtualCluster !== undefined)
    cmp('virtual_cluster_name (Istio configures no virtual clusters)', x.virtualCluster, '');
  if (x.hostRewrite !== undefined) cmp('host_rewrite', x.hostRewrite, entry ? (d.rewrite?.authority ?? authority) : '');
  if (x.pathRewrite !== undefined)
    cmp('path_rewrite', x.pathRewrite, entry ? (d.rewrite?.path ?? d.explanation.call.path ?? '/') : '');
  if (x.pathRedirect !== undefined) cmp('path_redirect', x.pathRedirect, d.redirect?.location ?? '');
  if (x.codeRedirect !== undefined) cmp('code_redirect', x.codeRedirect, d.redirect?.status ?? 0);
  return out;
}

/** Runs one expanded case. A malformed request (no such pod, bad URL) fails the case with its reason. */
export function evaluateCase(
  model: MeshModel,
  test: RuleTest,
  e: ExpandedRequest,
  defaults: SenderDefaults,
): CaseResult {
  const name = e.labels.length > 0 ? `${test.name} [${e.labels.join(', ')}]` : test.name;
  const notes = test.unsupported ?? [];
  const { call, request } = routeCallOf(e, defaults, test);
  let d: RouteDecision;
  try {
    d = decideRoute(model, call);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { test, name, request, status: 'failed', failures: [`the request cannot be sent: ${err.detail}`], notes };
  }
  const failures = [...checkExpectations(d, test.expect)];
  if (test.randomValue !== undefined) {
    const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(request.url)?.[1] ?? '';
    failures.push(...checkRouterCheck(d, test.expect as RouterCheckExpectations, test.randomValue, authority));
  }
  const checked = Object.keys(test.expect).length > 0;
  return {
    test,
    name,
    request,
    status: checked ? (failures.length === 0 ? 'passed' : 'failed') : 'skipped',
    failures,
    notes,
    decision: d,
  };
}
