/**
 * A sidecar's `virtualInbound` listener on 15006 (istio/istio@1.29.3 `pilot/pkg/networking/core/
 * listener_inbound.go` `buildInboundListeners`, `buildInboundChainConfigs`, `inboundChainForOpts`,
 * `buildInboundPassthroughChains`, `buildInboundBlackhole`, `populateListenerFilters`;
 * `filterchain_options.go` `getFilterChainMatchOptions`). One chain group per workload port that a
 * Service targets (or per Sidecar `ingress` port), matched on the destination port and shaped by the
 * port's PeerAuthentication mode: STRICT accepts only Istio mTLS, PERMISSIVE mTLS (by the `istio*` ALPN) or
 * plaintext, DISABLE plaintext. HTTP ports run an HTTP connection manager with the inline route
 * `inbound|<port>||`; TCP ports a TCP proxy to that cluster; unnamed ports get both, split by ALPN. Ports
 * no Service declares reach `InboundPassthroughCluster`; direct connections to 15006 are black-holed.
 */
import type { Metadata, Provenance } from '../../../envoy/config/core.js';
import type {
  FilterChain,
  FilterChainMatch,
  Listener,
  ListenerFilter,
  ListenerFilterChainMatchPredicate,
  NetworkFilter,
} from '../../../envoy/config/listener.js';
import { formatProtoDuration } from '../../../envoy/common.js';
import type { MtlsMode } from '../../model/security/peerAuthentication.js';
import { parseProtocol, type Protocol } from '../../model/protocol.js';
import {
  BLACKHOLE_CLUSTER,
  buildInboundSubsetKey,
  delimitedStatsPrefix,
  INBOUND_PASSTHROUGH_CLUSTER,
  listenerName,
  VIRTUAL_INBOUND,
  VIRTUAL_INBOUND_BLACKHOLE,
  VIRTUAL_INBOUND_CATCH_ALL_HTTP,
} from '../names.js';
import { inboundRouteConfig } from '../route/inboundRoutes.js';
import { inboundMtlsContext, tlsTransportSocket } from '../tlsContexts.js';
import { hcmFilter } from './hcm.js';
import { completeNetworkFilters, TCP_METADATA_EXCHANGE, tcpProxyFilter } from './filterChainOpts.js';
import { HTTP_INSPECTOR, ORIGINAL_DST, TLS_INSPECTOR } from './buildListener.js';
import { listenerProtocolOf, PLAINTEXT_HTTP_ALPNS } from './outboundListeners.js';

/** `inboundChainConfig`. */
export interface InboundChainConfig {
  readonly clusterName: string;
  /** The service port (its number names the virtual host `inbound|http|<port>`). */
  readonly port: { readonly name: string; readonly port: number; readonly protocol: Protocol };
  /** The workload port the chain matches. */
  readonly targetPort: number;
  readonly passthrough: boolean;
  /** The service host the port belongs to (telemetry and the route decorator). */
  readonly hostname: string;
  readonly source?: Provenance;
}

interface MatchOption {
  readonly alpn?: readonly string[];
  readonly transport: 'tls' | 'raw_buffer';
  readonly protocol: 'HTTP' | 'TCP';
  readonly tls: boolean;
}

const MTLS_HTTP_ALPNS = ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
const ALL_ISTIO_MTLS_ALPNS = ['istio', 'istio-peer-exchange', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
const MTLS_TCP_WITH_MXC_ALPNS = ['istio-peer-exchange', 'istio'];

/** `getFilterChainMatchOptions(mode, listenerProtocol)`. */
export function filterChainMatchOptions(mode: MtlsMode, lp: 'HTTP' | 'TCP' | 'AUTO'): MatchOption[] {
  if (lp === 'HTTP') {
    if (mode === 'STRICT') return [{ protocol: 'HTTP', transport: 'tls', tls: true }];
    if (mode === 'PERMISSIVE')
      return [
        { alpn: ALL_ISTIO_MTLS_ALPNS, transport: 'tls', protocol: 'HTTP', tls: true },
        { protocol: 'HTTP', transport: 'raw_buffer', tls: false },
      ];
    return [{ protocol: 'HTTP', transport: 'raw_buffer', tls: false }];
  }
  if (lp === 'AUTO') {
    if (mode === 'STRICT')
      return [
        { alpn: MTLS_HTTP_ALPNS, protocol: 'HTTP', transport: 'tls', tls: true },
        { protocol: 'TCP', transport: 'tls', tls: true },
      ];
    if (mode === 'PERMISSIVE') {
      return [
        { alpn: MTLS_HTTP_ALPNS, transport: 'tls', protocol: 'HTTP', tls: true },
        { alpn: PLAINTEXT_HTTP_ALPNS, protocol: 'HTTP', transport: 'raw_buffer', tls: false },
        { alpn: MTLS_TCP_WITH_MXC_ALPNS, transport: 'tls', protocol: 'TCP', tls: true },
        { protocol: 'TCP', transport: 'raw_buffer', tls: false },
        { transport: 'tls', protocol: 'TCP', tls: false },
      ];
    }
    return [
      { alpn: PLAINTEXT_HTTP_ALPNS, protocol: 'HTTP', transport: 'raw_buffer', tls: false },
      { protocol: 'TCP', transport: 'raw_buffer', tls: false },
    ];
  }
  if (mode === 'STRICT') return [{ protocol: 'TCP', transport: 'tls', tls: true }];
  if (mode === 'PERMISSIVE') {
    return [
      { alpn: ALL_ISTIO_MTLS_ALPNS, transport: 'tls', protocol: 'TCP', tls: true },
      { transport: 'tls', protocol: 'TCP', tls: false },
      { protocol: 'TCP', transport: 'raw_buffer', tls: false },
    ];
  }
  return [{ protocol: 'TCP', transport: 'raw_buffer', tls: false }];
}

/** `inboundChainConfig.Name`. */
function chainName(cc: InboundChainConfig, protocol: 'HTTP' | 'TCP'): string {
  if (cc.passthrough) return protocol === 'HTTP' ? VIRTUAL_INBOUND_CATCH_ALL_HTTP : VIRTUAL_INBOUND;
  return listenerName('0.0.0.0', cc.targetPort);
}

/** `inboundChainForOpts`: the chains of one port for its mTLS mode. */
export function inboundChains(cc: InboundChainConfig, mode: MtlsMode): FilterChain[] {
  const lp = listenerProtocolOf(cc.port.protocol);
  const options = filterChainMatchOptions(mode, lp === 'UNKNOWN' ? 'TCP' : lp);
  const meta: Metadata | undefined =
    cc.source !== undefined ? { filterMetadata: { meshsim: { sources: [cc.source] } } } : undefined;
  return options.map((o) => {
    const match: FilterChainMatch = {
      ...(cc.targetPort > 0 ? { destinationPort: cc.targetPort } : {}),
      transportProtocol: o.transport,
      ...(o.alpn !== undefined ? { applicationProtocols: [...o.alpn] } : {}),
    };
    let filters: NetworkFilter[];
    if (o.protocol === 'HTTP') {
      const statPrefix = delimitedStatsPrefix(
        cc.passthrough ? cc.clusterName : `inbound_${listenerName('0.0.0.0', cc.targetPort)}`,
      );
      filters = [
        TCP_METADATA_EXCHANGE,
        hcmFilter({
          routeConfig: inboundRouteConfig(cc),
          statPrefix,
          protocol: cc.port.protocol,
          class: 'sidecarInbound',
          useRemoteAddress: false,
        }),
      ];
    } else {
      filters = completeNetworkFilters(tcpProxyFilter({ statPrefix: cc.clusterName, cluster: cc.clusterName }), true);
    }
    return {
      name: chainName(cc, o.protocol),
      filterChainMatch: match,
      filters,
      ...(o.tls ? { transportSocket: tlsTransportSocket(inboundMtlsContext(o.protocol)) } : {}),
      ...(meta !== undefined ? { metadata: meta } : {}),
    };
  });
}

/** What `virtualInbound` is built from. */
export interface VirtualInboundInput {
  readonly port: number;
  readonly chains: readonly InboundChainConfig[];
  /** The mTLS mode of a workload port. */
  readonly modeFor: (port: number) => MtlsMode;
  /** The workload-level mode (for unlisted ports) and the `portLevelMtls` ports. */
  readonly passthroughModes: readonly { readonly port: number; readonly mode: MtlsMode }[];
  readonly tproxy: boolean;
  readonly protocolDetectionTimeout: number;
}

/** `inboundVirtualListener`. */
export function buildVirtualInboundListener(input: VirtualInboundInput): Listener {
  const chains: FilterChain[] = [
    {
      name: VIRTUAL_INBOUND_BLACKHOLE,
      filterChainMatch: { destinationPort: input.port },
      filters: completeNetworkFilters(
        tcpProxyFilter({ statPrefix: BLACKHOLE_CLUSTER, cluster: BLACKHOLE_CLUSTER }),
        true,
      ),
    },
  ];
  for (const pm of input.passthroughModes) {
    const cc: InboundChainConfig = {
      clusterName: INBOUND_PASSTHROUGH_CLUSTER,
      port: { name: VIRTUAL_INBOUND, port: 0, protocol: 'UnsupportedProtocol' },
      targetPort: pm.port,
      passthrough: true,
      hostname: '',
    };
    chains.push(...inboundChains(cc, pm.mode));
  }
  for (const cc of input.chains) chains.push(...inboundChains(cc, input.modeFor(cc.targetPort)));
  const l: Listener = {
    name: VIRTUAL_INBOUND,
    address: { socketAddress: { address: '0.0.0.0', portValue: input.port } },
    filterChains: chains,
    continueOnListenerFiltersTimeout: true,
    ...(input.tproxy ? { transparent: true } : {}),
    trafficDirection: 'INBOUND',
    listenerFiltersTimeout: formatProtoDuration(input.protocolDetectionTimeout),
  };
  return { ...l, listenerFilters: populateListenerFilters(chains, input.tproxy) };
}

function excludePorts(ports: readonly number[]): ListenerFilterChainMatchPredicate {
  const rules = ports.map((p) => ({ destinationPortRange: { start: p, end: p + 1 } }));
  return rules.length > 1 ? { orMatch: { rules } } : (rules[0] as ListenerFilterChainMatchPredicate);
}

/** `populateListenerFilters`: original_dst, then inspectors disabled on ports that do not need them. */
function populateListenerFilters(chains: readonly FilterChain[], tproxy: boolean): ListenerFilter[] {
  const out: ListenerFilter[] = [ORIGINAL_DST];
  if (tproxy)
    out.push({
      name: 'envoy.filters.listener.original_src',
      typedConfig: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.listener.original_src.v3.OriginalSrc',
        mark: 1337,
      },
    });
  const insp = new Map<number, { tls: boolean; http: boolean }>();
  for (const fc of chains) {
    const port = fc.filterChainMatch?.destinationPort ?? 0;
    const i = insp.get(port) ?? { tls: false, http: false };
    i.tls ||= fc.filterChainMatch?.transportProtocol === 'tls';
    i.http ||= (fc.filterChainMatch?.applicationProtocols ?? []).some((a) => a === 'http/1.1' || a === 'h2c');
    insp.set(port, i);
  }
  const ports = [...insp.keys()].sort((a, b) => a - b);
  if ([...insp.values()].some((i) => i.tls)) {
    const defaultOn = insp.get(0)?.tls ?? false;
    const list = ports.filter(
      (p) => p !== 0 && (defaultOn ? !(insp.get(p)?.tls ?? false) : (insp.get(p)?.tls ?? false)),
    );
    if (list.length === 0) out.push(TLS_INSPECTOR);
    else
      out.push({ ...TLS_INSPECTOR, filterDisabled: defaultOn ? excludePorts(list) : { notMatch: excludePorts(list) } });
  }
  if ([...insp.values()].some((i) => i.http)) {
    const list = ports.filter((p) => !(insp.get(p)?.http ?? false));
    out.push(list.length === 0 ? HTTP_INSPECTOR : { ...HTTP_INSPECTOR, filterDisabled: excludePorts(list) });
  }
  return out;
}

/** The chain configs of a workload from its service targets (`getFilterChainsByServicePort`). */
export function chainConfigsFromTargets(
  targets: readonly {
    readonly service: {
      readonly hostname: string;
      readonly kind: string;
      readonly namespace: string;
      readonly name: string;
      readonly source: { readonly file: string; readonly line: number };
    };
    readonly port: { readonly name: string; readonly port: number; readonly protocol: Protocol };
    readonly targetPort: number;
  }[],
  reserved: ReadonlySet<number>,
): InboundChainConfig[] {
  const byPort = new Map<number, InboundChainConfig>();
  for (const t of targets) {
    if (reserved.has(t.targetPort) || byPort.has(t.targetPort)) continue; // the first service claims the port
    byPort.set(t.targetPort, {
      clusterName: buildInboundSubsetKey(t.targetPort),
      port: t.port,
      targetPort: t.targetPort,
      passthrough: false,
      hostname: t.service.hostname,
      source: {
        kind: t.service.kind,
        namespace: t.service.namespace,
        name: t.service.name,
        file: t.service.source.file,
        line: t.service.source.line,
      },
    });
  }
  return [...byPort.values()].sort((a, b) => a.targetPort - b.targetPort);
}

/** Sidecar `ingress` listeners as chain configs. */
export function chainConfigsFromIngress(
  ingress: readonly {
    readonly port: { readonly number: number; readonly protocol?: string; readonly name?: string };
  }[],
  sidecar: Provenance,
): InboundChainConfig[] {
  const byPort = new Map<number, InboundChainConfig>();
  ingress.forEach((i, idx) => {
    if (byPort.has(i.port.number)) return;
    const protocol = parseProtocol(i.port.protocol ?? '');
    byPort.set(i.port.number, {
      clusterName: buildInboundSubsetKey(i.port.number),
      port: { name: i.port.name ?? '', port: i.port.number, protocol },
      targetPort: i.port.number,
      passthrough: false,
      hostname: `${sidecar.name}.${sidecar.namespace ?? ''}`,
      source: { ...sidecar, field: `spec.ingress[${idx}]` },
    });
  });
  return [...byPort.values()].sort((a, b) => a.targetPort - b.targetPort);
}
