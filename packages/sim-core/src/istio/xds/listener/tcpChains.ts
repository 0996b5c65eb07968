/**
 * TCP and TLS filter chains of a sidecar's outbound listeners (istio/istio@1.29.3
 * `pilot/pkg/networking/core/tls.go` `buildSidecarOutboundTLSFilterChainOpts`,
 * `buildSidecarOutboundTCPFilterChainOpts`, `matchTLS`, `matchTCP`; `networkfilter.go`
 * `buildOutboundNetworkFilters`). A VirtualService's `tls` routes become chains matched on SNI, its `tcp`
 * routes chains matched on destination subnets (the first without a subnet match wins the port); without
 * a VirtualService the chain proxies to `outbound|port||host` — for TLS ports keyed by the host as SNI when
 * the listener is shared (`0.0.0.0`).
 */
import type { Provenance } from '../../../envoy/config/core.js';
import { istioConfigPath } from '../../../envoy/config/core.js';
import type { NetworkFilter } from '../../../envoy/config/listener.js';
import { labelsMatch } from '../../../k8s/labels.js';
import type { Protocol } from '../../model/protocol.js';
import type { MeshService, MeshServicePort } from '../../model/registry/types.js';
import type { DestinationRule, L4MatchAttributes, L4Route, RouteDestination } from '../api.js';
import { buildSubsetKey } from '../names.js';
import { destinationCluster } from '../route/translateRoute.js';
import { safeProtoDuration } from '../route/routeExtras.js';
import { addressForProxy, UNSPECIFIED_IP } from '../serviceAddress.js';
import type { VsConfig } from '../virtualServices.js';
import { completeNetworkFilters, tcpProxyFilter, type FilterChainOpts } from './filterChainOpts.js';

/** What TCP chains read about the proxy and its scope. */
export interface TcpChainContext {
  readonly proxy: {
    readonly labels: Readonly<Record<string, string>>;
    readonly namespace: string;
    readonly dnsCapture: boolean;
  };
  /** `push.ServiceForHostname(node, host)`. */
  readonly serviceFor: (host: string) => MeshService | undefined;
  /** The DestinationRule a proxy applies to a host. */
  readonly destinationRuleFor: (host: string) => DestinationRule | undefined;
}

const isTLS = (p: Protocol): boolean => p === 'HTTPS' || p === 'TLS';

/** `matchTLS` / `matchTCP`. */
export function l4Matches(
  m: L4MatchAttributes | undefined,
  proxy: TcpChainContext['proxy'],
  gateways: ReadonlySet<string>,
  port: number,
): boolean {
  if (m === undefined) return true;
  const gatewayMatch = (m.gateways ?? []).length === 0 || (m.gateways ?? []).some((g) => gateways.has(g));
  const portMatch = (m.port ?? 0) === 0 || m.port === port;
  const nsMatch = (m.sourceNamespace ?? '') === '' || m.sourceNamespace === proxy.namespace;
  return gatewayMatch && labelsMatch(m.sourceLabels, proxy.labels) && portMatch && nsMatch;
}

function tcpProxyFields(dr: DestinationRule | undefined, subset: string): Record<string, unknown> {
  const tcp = dr?.trafficPolicy?.connectionPool?.tcp;
  const idle = tcp?.idleTimeout !== undefined ? safeProtoDuration(tcp.idleTimeout) : undefined;
  const maxDur = tcp?.maxConnectionDuration !== undefined ? safeProtoDuration(tcp.maxConnectionDuration) : undefined;
  let useSourceIp = dr?.trafficPolicy?.loadBalancer?.consistentHash?.useSourceIp ?? false;
  const sub = dr?.subsets?.find((s) => s.name === subset);
  if (sub?.trafficPolicy?.loadBalancer !== undefined)
    useSourceIp = sub.trafficPolicy.loadBalancer.consistentHash?.useSourceIp ?? false;
  return {
    ...(idle !== undefined ? { idleTimeout: idle } : {}),
    ...(maxDur !== undefined ? { maxDownstreamConnectionDuration: maxDur } : {}),
    ...(useSourceIp ? { hashPolicy: [{ sourceIp: {} }] } : {}),
  };
}

/** `buildOutboundNetworkFiltersWithSingleDestination`. */
export function singleDestinationFilters(
  statPrefix: string,
  cluster: string,
  subset: string,
  dr: DestinationRule | undefined,
  includeMx: boolean,
): NetworkFilter[] {
  return completeNetworkFilters(tcpProxyFilter({ statPrefix, cluster, ...tcpProxyFields(dr, subset) }), includeMx);
}

/** `buildOutboundNetworkFilters`: one destination, or weighted clusters (zero weights dropped). */
export function outboundNetworkFilters(
  ctx: TcpChainContext,
  routes: readonly RouteDestination[],
  port: MeshServicePort,
  vs: Pick<VsConfig, 'name' | 'namespace'>,
  includeMx: boolean,
): NetworkFilter[] {
  const first = routes[0] as RouteDestination;
  const service = ctx.serviceFor(first.destination.host);
  const dr = service !== undefined ? ctx.destinationRuleFor(service.hostname) : undefined;
  if (routes.length === 1) {
    const cluster = destinationCluster(first.destination, service, port.port);
    return singleDestinationFilters(cluster, cluster, first.destination.subset ?? '', dr, includeMx);
  }
  const clusters = routes
    .filter((r) => (r.weight ?? 0) > 0)
    .map((r) => ({
      name: destinationCluster(r.destination, ctx.serviceFor(r.destination.host), port.port),
      weight: r.weight as number,
    }));
  const statPrefix = `${vs.name}.${vs.namespace}`;
  return completeNetworkFilters(
    tcpProxyFilter({ statPrefix, weightedClusters: { clusters }, ...tcpProxyFields(dr, '') }),
    includeMx,
  );
}

function chainMetadata(vs: VsConfig, field: string): FilterChainOpts['metadata'] {
  const source: Provenance = {
    kind: 'VirtualService',
    namespace: vs.namespace,
    name: vs.name,
    file: vs.object.source.file,
    line: vs.object.source.lineOf(
      field
        .split(/[.[\]]+/)
        .filter((x) => x !== '')
        .map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
    ),
    field,
  };
  return {
    filterMetadata: {
      istio: { config: istioConfigPath('VirtualService', vs.namespace, vs.name) },
      meshsim: { sources: [source] },
    },
  };
}

/** `buildSidecarOutboundTLSFilterChainOpts`. */
export function sidecarOutboundTLSChains(
  ctx: TcpChainContext,
  cidrs: readonly string[],
  service: MeshService,
  bind: string,
  port: MeshServicePort,
  configs: readonly VsConfig[],
): FilterChainOpts[] {
  if (!isTLS(port.protocol)) return [];
  const mesh = new Set(['mesh']);
  const out: FilterChainOpts[] = [];
  const handled = new Set<string>();
  let hasTLSMatch = false;
  for (const vs of configs) {
    (vs.spec.tls ?? []).forEach((tls: L4Route, i) => {
      if ((tls.route ?? []).length === 0) return;
      for (const m of tls.match ?? []) {
        if (!l4Matches(m, ctx.proxy, mesh, port.port)) continue;
        const dest =
          (m.destinationSubnets ?? []).length > 0 && port.port > 0 ? (m.destinationSubnets as string[]) : cidrs;
        const key = `${(m.sniHosts ?? []).join(',')}|${(m.destinationSubnets ?? []).join(',')}`;
        if (!handled.has(key)) {
          out.push({
            metadata: chainMetadata(vs, `spec.tls[${i}]`),
            sniHosts: m.sniHosts ?? [],
            destinationCIDRs: dest,
            networkFilters: outboundNetworkFilters(ctx, tls.route ?? [], port, vs, false),
          });
          hasTLSMatch = true;
        }
        handled.add(key);
      }
    });
  }
  if (hasTLSMatch) return out;
  const p = service.ports.length === 1 ? (service.ports[0] as MeshServicePort).port : port.port;
  const cluster = buildSubsetKey('outbound', '', service.hostname, p);
  let addr = addressForProxy(service, ctx.proxy);
  if (addr.includes('/')) addr = '';
  const sni =
    cidrs.length > 0 || addr === '' || (addr === UNSPECIFIED_IP && bind === UNSPECIFIED_IP) ? [service.hostname] : [];
  out.push({
    sniHosts: sni,
    destinationCIDRs: cidrs,
    networkFilters: singleDestinationFilters(cluster, cluster, '', ctx.destinationRuleFor(service.hostname), false),
  });
  return out;
}

/** `buildSidecarOutboundTCPFilterChainOpts`. */
export function sidecarOutboundTCPChains(
  ctx: TcpChainContext,
  cidrs: readonly string[],
  service: MeshService,
  port: MeshServicePort,
  configs: readonly VsConfig[],
): FilterChainOpts[] {
  if (isTLS(port.protocol)) return [];
  const mesh = new Set(['mesh']);
  const out: FilterChainOpts[] = [];
  let defaultAdded = false;
  outer: for (const vs of configs) {
    const tcps = vs.spec.tcp ?? [];
    for (let i = 0; i < tcps.length; i++) {
      const tcp = tcps[i] as L4Route;
      if ((tcp.route ?? []).length === 0) continue;
      if ((tcp.match ?? []).length === 0) {
        out.push({
          metadata: chainMetadata(vs, `spec.tcp[${i}]`),
          destinationCIDRs: cidrs,
          networkFilters: outboundNetworkFilters(ctx, tcp.route ?? [], port, vs, false),
        });
        defaultAdded = true;
        break outer;
      }
      const subnets: string[] = [];
      for (const m of tcp.match ?? []) {
        if (!l4Matches(m, ctx.proxy, mesh, port.port)) continue;
        if ((m.destinationSubnets ?? []).length === 0 || port.port === 0) {
          out.push({
            metadata: chainMetadata(vs, `spec.tcp[${i}]`),
            destinationCIDRs: cidrs,
            networkFilters: outboundNetworkFilters(ctx, tcp.route ?? [], port, vs, false),
          });
          defaultAdded = true;
          break outer;
        }
        subnets.push(...(m.destinationSubnets ?? []));
      }
      if (subnets.length > 0) {
        out.push({
          destinationCIDRs: subnets,
          networkFilters: outboundNetworkFilters(ctx, tcp.route ?? [], port, vs, false),
        });
        if ([...subnets].sort().join(',') === [...cidrs].sort().join(',')) defaultAdded = true;
      }
    }
  }
  if (!defaultAdded) {
    const p = service.ports.length === 1 ? (service.ports[0] as MeshServicePort).port : port.port;
    const cluster = buildSubsetKey('outbound', '', service.hostname, p);
    out.push({
      destinationCIDRs: cidrs,
      networkFilters: singleDestinationFilters(cluster, cluster, '', ctx.destinationRuleFor(service.hostname), false),
    });
  }
  return out;
}
