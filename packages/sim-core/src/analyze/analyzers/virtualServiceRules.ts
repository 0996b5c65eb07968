/**
 * Unreachable and ineffective VirtualService rules (IST0130 VirtualServiceUnreachableRule, IST0131
 * VirtualServiceIneffectiveMatch), as Istio's validation reports them to the analyzer
 * (`pkg/config/validation/validation.go` `analyzeUnreachableHTTPRules` / `…TCPRules` / `…TLSRules`): routes
 * are tried in order and the first match wins, so a rule after a match-less (catch-all) rule is never used,
 * a match equal to an earlier one (ignoring its `name`) is ineffective, a rule whose matches are all such
 * duplicates is never used; and for HTTP, a `uri.prefix` match is ineffective when an earlier prefix match
 * that is a prefix of it has the same port and the same or broader method, authority, headers and query
 * parameters (`coveredValidation`). Rules are named `"name"` or `#index`, matches likewise.
 */
import { canonicalJson } from '../../k8s/hash.js';
import { asRecord, asString } from '../../k8s/json.js';
import type { Analyzer, AnalysisContext } from '../context.js';
import { MESSAGES } from '../messages.js';
import type { IstioObject, VirtualServiceSpec } from '../../istio/model/config.js';

type Json = Record<string, unknown>;

interface PrefixMatch {
  readonly rule: string;
  readonly ruleIndex: number;
  readonly match: string;
  readonly prefix: string;
  readonly port: number | undefined;
  readonly method: string;
  readonly authority: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly queryParams: Readonly<Record<string, string>>;
  readonly withoutHeaders: Readonly<Record<string, string>>;
}

const routeName = (route: Json, i: number, http: boolean): string => {
  const name = http ? asString(route['name']) : undefined;
  return name !== undefined && name !== '' ? JSON.stringify(name) : `#${i}`;
};
const requestName = (match: Json, i: number, http: boolean): string => {
  const name = http ? asString(match['name']) : undefined;
  return name !== undefined && name !== '' ? JSON.stringify(name) : `#${i}`;
};

// assignExactOrPrefix: "exact:<v>" / "prefix:<v>" / "" (regex matches are ignored by the overlap check).
function exactOrPrefix(m: unknown): string {
  const r = asRecord(m);
  const exact = asString(r?.['exact']);
  if (exact !== undefined && exact !== '') return `exact:${exact}`;
  const prefix = asString(r?.['prefix']);
  if (prefix !== undefined && prefix !== '') return `prefix:${prefix}`;
  return '';
}

function mapOf(m: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(m) ?? {})) out[k] = exactOrPrefix(v);
  return out;
}

function prefixMatch(route: Json, ruleIndex: number, match: Json, matchIndex: number): PrefixMatch | undefined {
  const prefix = asString(asRecord(match['uri'])?.['prefix']);
  if (prefix === undefined || prefix === '') return undefined;
  const method = exactOrPrefix(match['method']);
  const port = typeof match['port'] === 'number' ? match['port'] : undefined;
  return {
    rule: routeName(route, ruleIndex, true),
    ruleIndex,
    match: requestName(match, matchIndex, true),
    prefix,
    port,
    method: method === '' ? 'exact:GET' : method,
    authority: exactOrPrefix(match['authority']),
    headers: mapOf(match['headers']),
    queryParams: mapOf(match['queryParams']),
    withoutHeaders: mapOf(match['withoutHeaders']),
  };
}

function mapCovered(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] !== undefined && (a[k] === b[k] || (a[k] as string).startsWith(b[k] as string)));
}

/** `coveredValidation(vA, vB)`: the earlier match `a` catches everything `b` would. */
function covered(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix)) return false;
  if (a.port !== b.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return (
    mapCovered(a.headers, b.headers) &&
    mapCovered(a.queryParams, b.queryParams) &&
    mapCovered(a.withoutHeaders, b.withoutHeaders)
  );
}

function analyzeRoutes(ctx: AnalysisContext, vs: IstioObject<VirtualServiceSpec>, kind: 'http' | 'tcp' | 'tls'): void {
  const routes = ((vs.spec[kind] ?? []) as unknown[]).map((r) => asRecord(r) ?? {});
  const http = kind === 'http';
  const seen = new Map<string, number>();
  let emptyMatch = -1;
  const prefixes: PrefixMatch[] = [];
  routes.forEach((route, rulen) => {
    const field = ['spec', kind, rulen];
    const matches = Array.isArray(route['match']) ? (route['match'] as unknown[]).map((m) => asRecord(m) ?? {}) : [];
    if (matches.length === 0) {
      if (emptyMatch >= 0)
        ctx.report(
          MESSAGES.VirtualServiceUnreachableRule,
          vs,
          [routeName(route, rulen, http), 'only the last rule can have no matches'],
          field,
        );
      emptyMatch = rulen;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, matchn) => {
      if (emptyMatch >= 0) {
        ctx.report(
          MESSAGES.VirtualServiceUnreachableRule,
          vs,
          [routeName(route, rulen, http), 'route without matches defined before'],
          field,
        );
        return;
      }
      const key = canonicalJson(http ? { ...match, name: undefined } : match);
      const dup = seen.get(key);
      if (dup !== undefined) {
        ctx.report(
          MESSAGES.VirtualServiceIneffectiveMatch,
          vs,
          [routeName(route, rulen, http), requestName(match, matchn, http), routeName(routes[dup] ?? {}, dup, http)],
          [...field, 'match', matchn],
        );
        duplicates++;
        return;
      }
      seen.set(key, rulen);
      if (http) {
        const p = prefixMatch(route, rulen, match, matchn);
        if (p !== undefined) prefixes.push(p);
      }
    });
    if (duplicates === matches.length)
      ctx.report(
        MESSAGES.VirtualServiceUnreachableRule,
        vs,
        [routeName(route, rulen, http), 'all matches used by prior rules'],
        field,
      );
  });
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      const a = prefixes[i] as PrefixMatch;
      const b = prefixes[j] as PrefixMatch;
      if (a.prefix === b.prefix) continue;
      if (covered(a, b)) {
        ctx.report(
          MESSAGES.VirtualServiceIneffectiveMatch,
          vs,
          [b.rule, `${b.match} of prefix ${b.prefix}`, `${a.match} of prefix ${a.prefix} on ${a.rule}`],
          ['spec', 'http', b.ruleIndex],
        );
      }
    }
  }
}

export const virtualServiceRulesAnalyzer: Analyzer = {
  name: 'schema.ValidationAnalyzer.VirtualService',
  analyze(ctx) {
    for (const vs of ctx.model.istio.virtualServices)
      for (const kind of ['http', 'tcp', 'tls'] as const) analyzeRoutes(ctx, vs, kind);
  },
};
