/**
 * Virtual-host selection, as `RouteMatcher` (envoyproxy/envoy source/common/router/config_impl.cc):
 * domains are lower-cased at build time and sorted into exact names, suffix wildcards (`*.foo.com`,
 * `*-bar.foo.com`), prefix wildcards (`foo.*`) and the single default `*`. A request's `:authority`
 * (lower-cased; its port stripped only under `ignore_port_in_host_matching`, which istiod sets on every
 * sidecar route configuration) is looked up exactly, then against suffix wildcards longest first, then
 * prefix wildcards longest first, then `*`. A wildcard must cover at least one character
 * (`*.foo.com` does not match `.foo.com`), and when only `*` exists it is returned even without a Host.
 */
import type { HeaderMap } from '../common.js';
import { firstHeaderValue } from '../common.js';
import type { RouteConfiguration, VirtualHost } from './types.js';
import { asciiLower } from './stringMatcher.js';

/** How a virtual host was chosen. */
export type VirtualHostMatchKind = 'exact' | 'suffix_wildcard' | 'prefix_wildcard' | 'default';

/** The outcome of {@link findVirtualHost}. */
export interface VirtualHostMatch {
  readonly virtualHost: VirtualHost;
  /** Index of the virtual host in `routeConfig.virtualHosts`. */
  readonly index: number;
  /** The domain entry that matched, as configured (e.g. `reviews.default.svc.cluster.local`, `*.example.com`). */
  readonly domain: string;
  readonly kind: VirtualHostMatchKind;
  /** The host value actually looked up (lower-cased, port stripped when configured). */
  readonly host: string;
}

/**
 * Where the port starts in a Host value, as `Http::HeaderUtility::getPortStart`: the last `:` unless it
 * sits inside an IPv6 literal's brackets. -1 when there is no port.
 */
export function portStart(host: string): number {
  const colon = host.lastIndexOf(':');
  if (colon < 0) return -1;
  const bracket = host.lastIndexOf(']');
  return bracket < 0 || bracket < colon ? colon : -1;
}

interface Entry {
  readonly index: number;
  readonly domain: string;
}

/** The lookup tables Envoy builds from a route configuration; built once per configuration and cached. */
interface DomainIndex {
  readonly exact: ReadonlyMap<string, Entry>;
  /** [length of the suffix without '*', suffix → entry], longest first. */
  readonly suffixes: readonly (readonly [number, ReadonlyMap<string, Entry>])[];
  readonly prefixes: readonly (readonly [number, ReadonlyMap<string, Entry>])[];
  readonly defaultHost?: Entry;
  /** Configuration errors Envoy reports for this route configuration (it would reject it). */
  readonly errors: readonly string[];
}

const indexCache = new WeakMap<RouteConfiguration, DomainIndex>();

function buildIndex(rc: RouteConfiguration): DomainIndex {
  const exact = new Map<string, Entry>();
  const suffixes = new Map<number, Map<string, Entry>>();
  const prefixes = new Map<number, Map<string, Entry>>();
  let defaultHost: Entry | undefined;
  const errors: string[] = [];
  const vhosts = rc.virtualHosts ?? [];
  for (let index = 0; index < vhosts.length; index++) {
    for (const configured of (vhosts[index] as VirtualHost).domains) {
      const domain = asciiLower(configured);
      const entry = { index, domain: configured };
      let table: Map<string, Entry>;
      let key: string;
      if (domain === '*') {
        if (defaultHost !== undefined) {
          errors.push(`Only a single wildcard domain is permitted in route ${rc.name}`);
          continue;
        }
        defaultHost = entry;
        continue;
      } else if (domain.startsWith('*')) {
        key = domain.slice(1);
        table = suffixes.get(key.length) ?? new Map();
        suffixes.set(key.length, table);
      } else if (domain.endsWith('*')) {
        key = domain.slice(0, -1);
        table = prefixes.get(key.length) ?? new Map();
        prefixes.set(key.length, table);
      } else {
        key = domain;
        table = exact;
      }
      if (table.has(key)) {
        errors.push(
          `Only unique values for domains are permitted. Duplicate entry of domain ${domain} in route ${rc.name}`,
        );
        continue;
      }
      table.set(key, entry);
    }
  }
  const byLengthDesc = (m: Map<number, Map<string, Entry>>): (readonly [number, ReadonlyMap<string, Entry>])[] =>
    [...m.entries()].sort((a, b) => b[0] - a[0]);
  return {
    exact,
    suffixes: byLengthDesc(suffixes),
    prefixes: byLengthDesc(prefixes),
    ...(defaultHost !== undefined ? { defaultHost } : {}),
    errors,
  };
}

function domainIndex(rc: RouteConfiguration): DomainIndex {
  let idx = indexCache.get(rc);
  if (idx === undefined) {
    idx = buildIndex(rc);
    indexCache.set(rc, idx);
  }
  return idx;
}

/**
 * The errors Envoy's `RouteMatcher` constructor raises for this configuration (duplicate domains, more
 * than one `*`). Envoy rejects such a route configuration as a whole.
 */
export function routeConfigurationErrors(rc: RouteConfiguration): readonly string[] {
  return domainIndex(rc).errors;
}

function wildcard(
  host: string,
  tables: DomainIndex['suffixes'],
  cut: (host: string, length: number) => string,
): Entry | undefined {
  for (const [length, table] of tables) {
    if (length >= host.length) continue; // the '*' must stand for at least one character
    const hit = table.get(cut(host, length));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * The virtual host a request is routed in, from its `:authority` (or `vhost_header`); undefined when none
 * matches (Envoy answers 404 with flag NR).
 */
export function findVirtualHost(rc: RouteConfiguration, headers: HeaderMap): VirtualHostMatch | undefined {
  const idx = domainIndex(rc);
  const vhosts = rc.virtualHosts ?? [];
  const result = (e: Entry, kind: VirtualHostMatchKind, host: string): VirtualHostMatch => ({
    virtualHost: vhosts[e.index] as VirtualHost,
    index: e.index,
    domain: e.domain,
    kind,
    host,
  });
  let hostValue =
    rc.vhostHeader !== undefined && rc.vhostHeader !== ''
      ? firstHeaderValue(headers, rc.vhostHeader.toLowerCase())
      : firstHeaderValue(headers, ':authority');
  // Fast path: with only the default virtual host, it is returned even without a Host.
  if (idx.exact.size === 0 && idx.suffixes.length === 0 && idx.prefixes.length === 0) {
    return idx.defaultHost === undefined ? undefined : result(idx.defaultHost, 'default', asciiLower(hostValue ?? ''));
  }
  if (hostValue === undefined) return undefined;
  if (rc.ignorePortInHostMatching === true) {
    const p = portStart(hostValue);
    if (p >= 0) hostValue = hostValue.slice(0, p);
  }
  const host = asciiLower(hostValue);
  const exact = idx.exact.get(host);
  if (exact !== undefined) return result(exact, 'exact', host);
  const suffix = wildcard(host, idx.suffixes, (h, l) => h.slice(h.length - l));
  if (suffix !== undefined) return result(suffix, 'suffix_wildcard', host);
  const prefix = wildcard(host, idx.prefixes, (h, l) => h.slice(0, l));
  if (prefix !== undefined) return result(prefix, 'prefix_wildcard', host);
  return idx.defaultHost === undefined ? undefined : result(idx.defaultHost, 'default', host);
}
