/**
 * The request hash RING_HASH and MAGLEV route by, from a route's `hash_policy` list (Istio's
 * `consistentHash.httpHeaderName`, `httpCookie`, `useSourceIp`, `httpQueryParameterName`). Each policy that
 * yields a value contributes `xxHash64(value)`, combined as `rotl(hash, 1) ^ new`; a `terminal` policy
 * that produced a hash stops the list. Mirrors `HashPolicyImpl::generateHash` (envoyproxy/envoy
 * source/common/http/hash_policy.cc). The type lives here until the route config types take it over.
 */
import { firstHeaderValue, type HeaderMap } from '../common.js';
import { xxHash64 } from './hash.js';

/** `envoy.config.route.v3.RouteAction.HashPolicy` (proto3 JSON; exactly one specifier). */
export interface HashPolicy {
  readonly header?: { readonly headerName: string };
  readonly cookie?: { readonly name: string; readonly ttl?: string; readonly path?: string };
  readonly connectionProperties?: { readonly sourceIp: boolean };
  readonly queryParameter?: { readonly name: string };
  readonly terminal?: boolean;
}

/** What a hash policy can look at. */
export interface HashInput {
  /** Request headers (lower-case names; `:path` for query parameters). */
  readonly headers: HeaderMap;
  /** Downstream IP without port (`addressAsString()`), for `connectionProperties.sourceIp`. */
  readonly sourceIp?: string;
  /**
   * For a cookie policy with a `ttl` whose cookie is absent: Envoy generates a value and sets the cookie on
   * the response. Return that value here; without it no hash comes from the cookie.
   */
  addCookie?(name: string, path: string, ttl: string): string;
}

const MASK64 = (1n << 64n) - 1n;

/** `Http::Utility::parseCookieValue`: the first `name=value` among the `cookie` headers, quotes stripped. */
export function parseCookieValue(headers: HeaderMap, name: string): string {
  const raw = headers['cookie'];
  const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  for (const header of values) {
    for (const part of header.split(';')) {
      const p = part.trim();
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      if (p.slice(0, eq) !== name) continue;
      let v = p.slice(eq + 1);
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      return v;
    }
  }
  return '';
}

/** `Http::Utility::parseQueryString(path)[name]`: the first occurrence, not URL-decoded. */
export function queryParameter(path: string | undefined, name: string): string | undefined {
  if (path === undefined) return undefined;
  const q = path.indexOf('?');
  if (q < 0) return undefined;
  const end = path.indexOf('#', q);
  const query = path.slice(q + 1, end < 0 ? undefined : end);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    if (k === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return undefined;
}

function evaluate(policy: HashPolicy, input: HashInput): bigint | undefined {
  if (policy.header !== undefined) {
    const v = firstHeaderValue(input.headers, policy.header.headerName.toLowerCase());
    return v === undefined ? undefined : xxHash64(v);
  }
  if (policy.cookie !== undefined) {
    let v = parseCookieValue(input.headers, policy.cookie.name);
    if (v === '' && policy.cookie.ttl !== undefined) {
      if (input.addCookie === undefined) return undefined;
      v = input.addCookie(policy.cookie.name, policy.cookie.path ?? '', policy.cookie.ttl);
      return xxHash64(v);
    }
    return v === '' ? undefined : xxHash64(v);
  }
  if (policy.connectionProperties?.sourceIp === true) {
    return input.sourceIp === undefined || input.sourceIp === '' ? undefined : xxHash64(input.sourceIp);
  }
  if (policy.queryParameter !== undefined) {
    const v = queryParameter(firstHeaderValue(input.headers, ':path'), policy.queryParameter.name);
    return v === undefined ? undefined : xxHash64(v);
  }
  return undefined;
}

/** `HashPolicyImpl::generateHash`: the request's uint64 hash, or undefined when no policy yields one. */
export function generateHash(policies: readonly HashPolicy[], input: HashInput): bigint | undefined {
  let hash: bigint | undefined;
  for (const policy of policies) {
    const next = evaluate(policy, input);
    if (next !== undefined) {
      // Rotating the old value keeps duplicate policies from cancelling each other out.
      const old = hash === undefined ? 0n : ((hash << 1n) | (hash >> 63n)) & MASK64;
      hash = old ^ next;
    }
    if (policy.terminal === true && hash !== undefined) break;
  }
  return hash;
}
