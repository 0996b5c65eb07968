/** Text for the steps of an explanation: short, in Envoy's and Istio's words. */
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import type { FilterChainSelection } from '../envoy/listener/filterChainMatch.js';
import type { InspectionResult } from '../envoy/listener/listenerFilters.js';
import type { ListenerSelection } from '../envoy/listener/listenerSelect.js';
import type { Listener } from '../envoy/listener/types.js';
import { describeHeaderMatcher } from '../envoy/router/headerMatcher.js';
import { describePath } from '../envoy/router/pathMatch.js';
import { describeQueryParameterMatcher } from '../envoy/router/queryParameters.js';
import type { Route } from '../envoy/router/types.js';
import type { VirtualHostMatch } from '../envoy/router/virtualHost.js';
import type { ClusterCandidate, EndpointInfo } from './explanation.js';

/** `address:port` of a listener. */
export function listenerAddress(l: Listener): string {
  const sa = l.address?.socketAddress;
  return sa === undefined ? '(no address)' : `${sa.address}:${sa.portValue ?? 0}`;
}

/** A route's match conditions as one line. */
export function describeRoute(route: Route): string {
  const parts = [describePath(route.match)];
  for (const h of route.match.headers ?? []) parts.push(describeHeaderMatcher(h));
  for (const q of route.match.queryParameters ?? []) parts.push(describeQueryParameterMatcher(q));
  const rf = route.match.runtimeFraction?.defaultValue;
  if (rf !== undefined) parts.push(`runtime fraction ${rf.numerator ?? 0}/${rf.denominator ?? 'HUNDRED'}`);
  return parts.join(' and ');
}

const CRITERIA: Record<string, string> = {
  destination_port: 'destination port',
  destination_ip: 'destination IP',
  server_name: 'server name (SNI)',
  transport_protocol: 'transport protocol',
  application_protocols: 'application protocols (ALPN)',
  direct_source_ip: 'direct source IP',
  source_type: 'source type',
  source_ip: 'source IP',
  source_port: 'source port',
};

/** Step descriptions. */
export const describeSteps = {
  listener(sel: ListenerSelection, conn: DownstreamConnection): string[] {
    const dst = `${conn.destinationAddress}:${conn.destinationPort}`;
    switch (sel.kind) {
      case 'bound':
        return [`bound to the destination ${dst}`];
      case 'capture':
        return sel.listener?.useOriginalDst === true
          ? [
              `iptables redirected the connection to ${dst} here; no listener owns ${dst}, so this listener's own chains decide`,
            ]
          : [`iptables redirected the connection to ${dst} here; its original destination selects the filter chain`];
      case 'handoff_exact':
        return [
          `${sel.acceptedBy?.name ?? ''} accepted the redirected connection and handed it off to the listener on exactly ${dst} (use_original_dst)`,
        ];
      case 'handoff_wildcard':
        return [
          `${sel.acceptedBy?.name ?? ''} accepted the redirected connection and handed it off to the listener on 0.0.0.0:${conn.destinationPort} (use_original_dst)`,
        ];
      default:
        return [];
    }
  },
  inspection(r: InspectionResult): string {
    const s = r.socket;
    const learned = [`transport ${s.transportProtocol}`];
    if (s.serverName !== '') learned.push(`SNI ${s.serverName}`);
    if (s.applicationProtocols.length > 0) learned.push(`ALPN ${s.applicationProtocols.join(',')}`);
    const ran = [r.tlsInspector ? 'tls_inspector' : '', r.httpInspector ? 'http_inspector' : ''].filter(
      (x) => x !== '',
    );
    return `${ran.length > 0 ? ran.join(' and ') : 'no inspector'} ran: ${learned.join(', ')}`;
  },
  /**
   * The criteria that decided something: a configured key won, the candidates narrowed, or nothing was
   * left. Criteria no chain sets (every candidate falls through to "any") are left out.
   */
  filterChain(sel: FilterChainSelection, total: number): string[] {
    const out: string[] = [];
    let before = total;
    for (const st of sel.steps) {
      const name = CRITERIA[st.criterion] ?? st.criterion;
      const left = `${st.remaining.length} of ${total} chain${total === 1 ? '' : 's'} left`;
      if (st.chosen === undefined) out.push(`${name} ${st.value}: no chain matches`);
      else if (st.chosen !== '(any)') out.push(`${name} ${st.value} → ${st.chosen} (${left})`);
      else if (st.remaining.length !== before) out.push(`${name} ${st.value} → chains without a ${name} (${left})`);
      before = st.remaining.length;
    }
    return out;
  },
  virtualHost(vh: VirtualHostMatch): string {
    const how =
      vh.kind === 'exact'
        ? 'exact domain'
        : vh.kind === 'default'
          ? 'the default "*"'
          : vh.kind === 'suffix_wildcard'
            ? 'suffix wildcard'
            : 'prefix wildcard';
    return `${vh.virtualHost.name}: Host ${JSON.stringify(vh.host)} matched ${how}${vh.kind === 'default' ? '' : ` ${JSON.stringify(vh.domain)}`}`;
  },
  endpoints(endpoints: readonly EndpointInfo[], clusters: readonly ClusterCandidate[]): string {
    if (endpoints.length === 0) return `no endpoints for ${clusters.map((c) => c.name).join(', ')}`;
    const healthy = endpoints.filter((e) => e.health === 'HEALTHY' || e.health === 'UNKNOWN').length;
    return `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'} (${healthy} healthy): ${endpoints
      .slice(0, 6)
      .map((e) => `${e.address}${e.port !== undefined ? `:${e.port}` : ''}`)
      .join(', ')}${endpoints.length > 6 ? ', …' : ''}`;
  },
};
