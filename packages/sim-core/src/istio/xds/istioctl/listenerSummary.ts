/**
 * `istioctl proxy-config listener` (istio/istio@1.29.3 `istioctl/pkg/writer/envoy/configdump/listener.go`
 * `PrintListenerSummary` with `--verbose`, the default): one row per filter chain (and the default chain),
 * `ADDRESSES PORT MATCH DESTINATION`, listeners sorted by port, address, type; a listener's rows sorted by
 * destination, descending. MATCH summarises SNI, transport, ALPN (`App: TCP TLS` and friends) and the
 * destination address/port; DESTINATION names the route configuration, the cluster, or
 * `Non-HTTP/Non-TCP` (a TCP proxy to BlackHoleCluster is not counted).
 */
import type {
  FilterChain,
  FilterChainMatch,
  HttpConnectionManager,
  Listener,
  NetworkFilter,
  TcpProxy,
} from '../../../envoy/config/listener.js';
import { WellKnownFilters } from '../../../envoy/config/listener.js';
import type { RouteConfiguration, RouteMatch, VirtualHost } from '../../../envoy/config/route.js';
import { BLACKHOLE_CLUSTER } from '../names.js';
import { tabwrite } from './tabwriter.js';

/** `ListenerFilter`: `--address`, `--port`, `--type`. */
export interface ListenerFilterOptions {
  readonly address?: string;
  readonly port?: number;
  readonly type?: string;
}

const PROT_DESCRS: readonly [string, readonly string[]][] = [
  ['App: HTTP TLS', ['http/1.0', 'http/1.1', 'h2c', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: Istio HTTP Plain', ['istio', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: TCP TLS', ['istio-peer-exchange', 'istio']],
  ['App: HTTP', ['http/1.0', 'http/1.1', 'h2c']],
];

const chainsOf = (l: Listener): FilterChain[] => [
  ...l.filterChains,
  ...(l.defaultFilterChain !== undefined ? [l.defaultFilterChain] : []),
];

function isBlackholeTcp(f: NetworkFilter): boolean {
  // istioctl looks for the string in the serialized config: any TCP proxy mentioning BlackHoleCluster.
  return JSON.stringify(f.typedConfig ?? {}).includes(BLACKHOLE_CLUSTER);
}

/** `retrieveListenerType`: HTTP, TCP, HTTP+TCP or UNKNOWN. */
export function listenerType(l: Listener): string {
  let http = 0;
  let tcp = 0;
  for (const fc of chainsOf(l)) {
    for (const f of fc.filters) {
      if (f.name === WellKnownFilters.httpConnectionManager) http++;
      else if (f.name === WellKnownFilters.tcpProxy && !isBlackholeTcp(f)) tcp++;
    }
  }
  if (http > 0) return tcp === 0 ? 'HTTP' : 'HTTP+TCP';
  return tcp > 0 ? 'TCP' : 'UNKNOWN';
}

/** `getMatches`: the MATCH column of a chain. */
export function describeFilterChainMatch(m: FilterChainMatch | undefined): string {
  const match = m ?? {};
  const out: string[] = [];
  if ((match.serverNames ?? []).length > 0) out.push(`SNI: ${(match.serverNames ?? []).join(',')}`);
  if ((match.transportProtocol ?? '') !== '') out.push(`Trans: ${match.transportProtocol as string}`);
  const alpn = match.applicationProtocols ?? [];
  if (alpn.length > 0) {
    const known = PROT_DESCRS.find(([, p]) => p.length === alpn.length && p.every((x, i) => x === alpn[i]));
    out.push(known !== undefined ? known[0] : `App: ${alpn.join(',')}`);
  }
  const port = match.destinationPort !== undefined ? `:${match.destinationPort}` : '';
  if ((match.prefixRanges ?? []).length > 0)
    out.push(
      `Addr: ${(match.prefixRanges ?? []).map((p) => `${p.addressPrefix}/${p.prefixLen ?? 0}`).join(',')}${port}`,
    );
  else if (port !== '') out.push(`Addr: *${port}`);
  return out.length === 0 ? 'ALL' : out.join('; ');
}

function describeMatch(m: RouteMatch): string {
  const c: string[] = [];
  if ((m.prefix ?? '') !== '') c.push(`${m.prefix as string}*`);
  if ((m.pathSeparatedPrefix ?? '') !== '') c.push(`PathPrefix:${m.pathSeparatedPrefix as string}`);
  if ((m.path ?? '') !== '') c.push(m.path as string);
  if (m.safeRegex !== undefined) c.push(`regex ${m.safeRegex.regex}`);
  return c.join(' ');
}

function describeRouteConfig(rc: RouteConfiguration): string {
  const vhs = rc.virtualHosts ?? [];
  const only = vhs[0];
  if (
    vhs.length === 1 &&
    only !== undefined &&
    only.domains.length === 1 &&
    only.domains[0] === '*' &&
    (only.routes ?? []).length === 1
  ) {
    const r = (only.routes ?? [])[0];
    if (r?.match.prefix === '/' && r.route?.cluster !== undefined)
      return r.route.cluster.includes('Cluster') ? r.route.cluster : `Cluster: ${r.route.cluster}`;
  }
  const describe = (vh: VirtualHost): string => {
    const domains = vh.domains.length === 1 && vh.domains[0] === '*' ? '' : vh.domains.join('/');
    const routes = (vh.routes ?? []).map((r) => describeMatch(r.match)).join(', ');
    return domains === '' ? routes : `${domains} ${routes}`;
  };
  return `Inline Route: ${vhs.map(describe).join('; ')}`;
}

/** `getFilterType`: the DESTINATION column of a chain. */
export function describeFilterChainDestination(filters: readonly NetworkFilter[]): string {
  for (const f of filters) {
    if (f.name === WellKnownFilters.httpConnectionManager) {
      const hcm = (f.typedConfig ?? {}) as Partial<HttpConnectionManager>;
      if (hcm.routeConfig !== undefined) return describeRouteConfig(hcm.routeConfig);
      if ((hcm.rds?.routeConfigName ?? '') !== '') return `Route: ${hcm.rds?.routeConfigName as string}`;
      return 'HTTP';
    }
    if (f.name === WellKnownFilters.tcpProxy && !isBlackholeTcp(f)) {
      const cluster = ((f.typedConfig ?? {}) as Partial<TcpProxy>).cluster ?? '';
      return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
    }
  }
  return 'Non-HTTP/Non-TCP';
}

function addressOf(l: Listener): string {
  return l.address.socketAddress?.address ?? '';
}

function portOf(l: Listener): number {
  return l.address.socketAddress?.portValue ?? 0;
}

/** `ListenerFilter.Verify`. */
export function listenerMatchesFilter(l: Listener, f: ListenerFilterOptions): boolean {
  if (f.address !== undefined && f.address !== '') {
    const addrs = [addressOf(l), ...(l.additionalAddresses ?? []).map((a) => a.address.socketAddress?.address ?? '')];
    if (!addrs.some((a) => a.toLowerCase() === (f.address as string).toLowerCase())) return false;
  }
  if (f.port !== undefined && f.port !== 0 && portOf(l) !== f.port) return false;
  if (f.type !== undefined && f.type !== '' && listenerType(l).toLowerCase() !== f.type.toLowerCase()) return false;
  return true;
}

/** Listeners in istioctl's order (port, address, type). */
export function sortListeners(listeners: readonly Listener[]): Listener[] {
  return [...listeners].sort(
    (a, b) =>
      portOf(a) - portOf(b) ||
      (addressOf(a) < addressOf(b) ? -1 : addressOf(a) > addressOf(b) ? 1 : 0) ||
      (listenerType(a) < listenerType(b) ? -1 : listenerType(a) > listenerType(b) ? 1 : 0),
  );
}

/** `PrintListenerSummary` (verbose). `withType` adds the `NAME` column of `proxy-config all`. */
export function listenerSummary(
  listeners: readonly Listener[],
  filter: ListenerFilterOptions = {},
  withType = false,
): string {
  let text = `${withType ? 'NAME\t' : ''}ADDRESSES\tPORT\tMATCH\tDESTINATION\n`;
  for (const l of sortListeners(listeners.filter((x) => listenerMatchesFilter(x, filter)))) {
    const addresses = [
      addressOf(l),
      ...(l.additionalAddresses ?? []).map((a) => a.address.socketAddress?.address ?? ''),
    ].join(',');
    const rows = chainsOf(l).map((fc) => ({
      match: describeFilterChainMatch(fc.filterChainMatch),
      destination: describeFilterChainDestination(fc.filters),
    }));
    // sort.Slice(destination descending); stable for the small lists istioctl sees.
    rows.sort((a, b) => (a.destination > b.destination ? -1 : a.destination < b.destination ? 1 : 0));
    for (const r of rows)
      text += `${withType ? `listener/${l.name}\t` : ''}${addresses}\t${portOf(l)}\t${r.match}\t${r.destination}\n`;
  }
  return tabwrite(text, 1);
}
