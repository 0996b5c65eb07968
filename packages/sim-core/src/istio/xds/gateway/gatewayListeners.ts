/**
 * A gateway's listeners (istio/istio@1.29.3 `pilot/pkg/networking/core/gateway.go`
 * `buildGatewayListeners`, `buildGatewayTCPBasedFilterChains`, `createGatewayHTTPFilterChainOpts`,
 * `createGatewayTCPFilterChainOpts`, `buildGatewayNetworkFiltersFromTCPRoutes`,
 * `buildGatewayNetworkFiltersFromTLSRoutes`; `listener.go` `buildGatewayListener`). One listener per
 * (translated) server port, `0.0.0.0_8080`: a plain-text HTTP port has one chain routed by `http.8080`;
 * each HTTPS server terminating TLS gets a chain matched on its SNI hosts with its certificate and the
 * route `https.443.<port name>.<gateway>.<ns>`; TLS passthrough servers get one chain per VirtualService
 * `tls` match (by SNI), TCP servers the first matching `tcp` route. The TLS inspector runs when any chain
 * needs SNI or ALPN. A port left without chains gets no listener.
 */
import type { FilterChain, Listener, NetworkFilter } from '../../../envoy/config/listener.js';
import { isHTTP, parseProtocol } from '../../model/protocol.js';
import type { MeshServicePort } from '../../model/registry/types.js';
import type { L4MatchAttributes } from '../api.js';
import { delimitedStatsPrefix, listenerName } from '../names.js';
import type { PushContext } from '../pushContext.js';
import { hostMatches } from '../../model/host.js';
import { gatewayServerContext, tlsTransportSocket } from '../tlsContexts.js';
import type { VsConfig } from '../virtualServices.js';
import { TLS_INSPECTOR } from '../listener/buildListener.js';
import { toFilterChainMatch, type FilterChainOpts } from '../listener/filterChainOpts.js';
import { hcmFilter } from '../listener/hcm.js';
import { outboundNetworkFilters, type TcpChainContext } from '../listener/tcpChains.js';
import {
  isHTTPSServerWithTLSTermination,
  isPassThroughServer,
  serversOn,
  type GatewayServer,
  type MergedGateway,
} from './mergeGateways.js';

/** What gateway listeners are built from. */
export interface GatewayListenerContext {
  readonly ps: PushContext;
  readonly namespace: string;
  readonly merged: MergedGateway;
  readonly tcp: TcpChainContext;
}

/** `pickMatchingGatewayHosts`: VirtualService hosts matching a server host (`ns/host` only for that namespace). */
function matchingHosts(serverHosts: readonly string[], vs: VsConfig): boolean {
  for (const vh of vs.spec.hosts ?? []) {
    for (const gh of serverHosts) {
      let h = gh;
      const slash = gh.indexOf('/');
      if (slash >= 0) {
        if (gh.slice(0, slash) !== vs.namespace) continue;
        h = gh.slice(slash + 1);
      }
      if (hostMatches(h, vh)) return true;
    }
  }
  return false;
}

/** `l4SingleMatch`: port and gateway of a TCP/TLS match. */
function l4SingleMatch(m: L4MatchAttributes, gs: GatewayServer): boolean {
  const portMatch = (m.port ?? 0) === 0 || m.port === gs.server.port.number;
  const gwMatch = (m.gateways ?? []).length === 0 || (m.gateways ?? []).includes(gs.gatewayName);
  return portMatch && gwMatch;
}

function serverPort(gs: GatewayServer): MeshServicePort {
  return {
    name: gs.server.port.name ?? '',
    port: gs.server.port.number,
    protocol: parseProtocol(gs.server.port.protocol),
  };
}

/** `buildGatewayNetworkFiltersFromTCPRoutes`. */
function tcpRouteFilters(ctx: GatewayListenerContext, gs: GatewayServer): NetworkFilter[] | undefined {
  for (const vs of ctx.ps.virtualServicesForGateway(ctx.namespace, gs.gatewayName)) {
    if (!matchingHosts(gs.server.hosts, vs)) continue;
    for (const tcp of vs.spec.tcp ?? []) {
      const ms = tcp.match ?? [];
      if (ms.length === 0 || ms.some((m) => l4SingleMatch(m, gs))) {
        return outboundNetworkFilters(
          ctx.tcp,
          tcp.route ?? [],
          serverPort(gs),
          vs,
          gs.server.tls?.mode === 'ISTIO_MUTUAL',
        );
      }
    }
  }
  return undefined;
}

/** `buildGatewayNetworkFiltersFromTLSRoutes` (PASSTHROUGH; AUTO_PASSTHROUGH's SNI-DNAT chains are not modelled). */
function tlsRouteChains(ctx: GatewayListenerContext, gs: GatewayServer, seen: Map<string, string>): FilterChainOpts[] {
  const out: FilterChainOpts[] = [];
  const bind = gs.server.bind ?? '';
  for (const vs of ctx.ps.virtualServicesForGateway(ctx.namespace, gs.gatewayName)) {
    if (!matchingHosts(gs.server.hosts, vs)) continue;
    for (const tls of vs.spec.tls ?? []) {
      for (const m of tls.match ?? []) {
        if (!l4SingleMatch(m, gs)) continue;
        const sni = m.sniHosts ?? [];
        if (sni.some((h) => seen.get(h) === bind)) continue; // duplicate SNI host on this port: skipped
        for (const h of sni) seen.set(h, bind);
        out.push({
          sniHosts: sni,
          networkFilters: outboundNetworkFilters(ctx.tcp, tls.route ?? [], serverPort(gs), vs, false),
        });
      }
    }
  }
  return out;
}

/** `buildGatewayListeners`. */
export function buildGatewayListeners(ctx: GatewayListenerContext): Listener[] {
  const out: Listener[] = [];
  const tlsHostsByPort = new Map<number, Map<string, string>>();
  for (const port of ctx.merged.serverPorts) {
    const ms = serversOn(ctx.merged, port);
    if (ms === undefined) continue;
    const bind = port.bind !== '' ? port.bind : '0.0.0.0';
    const name = listenerName(bind, port.number);
    const p = parseProtocol(port.protocol);
    const chains: (FilterChainOpts & { readonly source?: GatewayServer })[] = [];
    if (isHTTP(p)) {
      chains.push({
        http: { rds: ms.routeName, protocol: p, class: 'gateway', useRemoteAddress: true },
        ...(ms.servers[0] !== undefined ? { source: ms.servers[0] } : {}),
      });
    } else {
      for (const gs of ms.servers) {
        const info = ctx.merged.tlsServerInfo.get(gs);
        if (isHTTPSServerWithTLSTermination(gs.server)) {
          chains.push({
            sniHosts: info?.sniHosts ?? [],
            tlsContext: gatewayServerContext(gs.server.tls ?? {}, ['h2', 'http/1.1']),
            http: {
              rds: info?.routeName ?? '',
              protocol: parseProtocol(gs.server.port.protocol),
              class: 'gateway',
              useRemoteAddress: true,
              ...(gs.server.name !== undefined && gs.server.name !== '' ? { statPrefix: gs.server.name } : {}),
            },
            source: gs,
          });
        } else if (gs.server.tls === undefined) {
          const filters = tcpRouteFilters(ctx, gs);
          if (filters !== undefined) chains.push({ networkFilters: filters, source: gs });
        } else if (!isPassThroughServer(gs.server)) {
          const filters = tcpRouteFilters(ctx, gs);
          const alpn =
            gs.server.tls.mode === 'ISTIO_MUTUAL' ? ['istio-peer-exchange', 'h2', 'http/1.1'] : ['h2', 'http/1.1'];
          if (filters !== undefined)
            chains.push({
              sniHosts: info?.sniHosts ?? [],
              tlsContext: gatewayServerContext(gs.server.tls, alpn),
              networkFilters: filters,
              source: gs,
            });
        } else {
          let seen = tlsHostsByPort.get(port.number);
          if (seen === undefined) tlsHostsByPort.set(port.number, (seen = new Map()));
          for (const c of tlsRouteChains(ctx, gs, seen)) chains.push({ ...c, source: gs });
        }
      }
    }
    if (chains.length === 0) continue; // "must have more than 0 chains"
    const needTls = chains.some((c) => (c.sniHosts ?? []).length > 0 || c.tlsContext !== undefined);
    const filterChains: FilterChain[] = chains.map((c) => {
      const m = toFilterChainMatch(c);
      const filters: NetworkFilter[] =
        c.http === undefined
          ? [...(c.networkFilters ?? [])]
          : [hcmFilter({ ...c.http, statPrefix: c.http.statPrefix ?? delimitedStatsPrefix(`outbound_${name}`) })];
      return {
        ...(m !== undefined ? { filterChainMatch: m } : {}),
        filters,
        ...(c.tlsContext !== undefined ? { transportSocket: tlsTransportSocket(c.tlsContext) } : {}),
        ...(c.source !== undefined
          ? { metadata: { filterMetadata: { meshsim: { sources: [c.source.source] } } } }
          : {}),
      };
    });
    const existing = out.findIndex((l) => l.name === name);
    const prev = existing >= 0 ? out[existing] : undefined;
    const all = [...(prev?.filterChains ?? []), ...filterChains];
    const listener: Listener = {
      name,
      address: { socketAddress: { address: bind, portValue: port.number } },
      filterChains: all,
      ...(needTls || (prev?.listenerFilters ?? []).length > 0 ? { listenerFilters: [TLS_INSPECTOR] } : {}),
      trafficDirection: 'OUTBOUND',
    };
    if (existing >= 0) out[existing] = listener;
    else out.push(listener);
  }
  return out;
}
