/**
 * A sidecar's outbound listeners (istio/istio@1.29.3 `pilot/pkg/networking/core/listener.go`
 * `buildSidecarOutboundListeners`, `buildSidecarOutboundListener`, `buildSidecarOutboundHTTPListenerOpts`,
 * `buildSidecarOutboundTCPListenerOpts`, `mergeTCPFilterChains`, `isConflictWithWellKnownPort`). For each
 * egress listener and each imported service port: HTTP ports share `0.0.0.0_<port>` (routed by RDS
 * `"<port>"`, matched by ALPN `http/1.1,h2c` after the HTTP inspector); TCP/TLS ports listen on the
 * service VIP (`10.96.0.12_3306`), or `0.0.0.0` with CIDR/SNI chains when there is none; unnamed ports
 * are sniffed (a TCP chain plus an HTTP chain). When HTTP and TCP meet on one port the listener becomes
 * sniffed; TCP chains with identical matches are not added twice; a Sidecar egress listener with a port
 * locks that port against the catch-all listener.
 */
import type { Provenance } from '../../../envoy/config/core.js';
import type { Listener } from '../../../envoy/config/listener.js';
import { formatProtoDuration } from '../../../envoy/common.js';
import { isHTTP, isSniffed, isTCP, parseProtocol, type Protocol } from '../../model/protocol.js';
import type { MeshService, MeshServicePort } from '../../model/registry/types.js';
import type { ProxyNode } from '../proxyNode.js';
import type { PushContext } from '../pushContext.js';
import { addressForProxy, extraAddressesForProxy, UNSPECIFIED_IP } from '../serviceAddress.js';
import type { SidecarScope } from '../sidecarScope.js';
import { hostMatches } from '../../model/host.js';
import type { VsConfig } from '../virtualServices.js';
import { buildListenerFromEntry, type OutboundListenerEntry } from './buildListener.js';
import { conflictsWith, type FilterChainOpts } from './filterChainOpts.js';
import { sidecarOutboundTCPChains, sidecarOutboundTLSChains, type TcpChainContext } from './tcpChains.js';

const WILDCARD = '0.0.0.0';
const LOCALHOST = '127.0.0.1';
/** HTTP and HTTP/2 without HTTP/1.0 (`PILOT_HTTP10` is off by default). */
export const PLAINTEXT_HTTP_ALPNS = ['http/1.1', 'h2c'] as const;

type ListenerProtocol = 'HTTP' | 'TCP' | 'AUTO' | 'UNKNOWN';

/** `ModelProtocolToListenerProtocol`. */
export function listenerProtocolOf(p: Protocol): ListenerProtocol {
  if (isHTTP(p)) return 'HTTP';
  if (isTCP(p)) return 'TCP';
  if (p === 'UDP') return 'UNKNOWN';
  return 'AUTO';
}

interface Opts {
  readonly binds: readonly string[];
  readonly bindToPort: boolean;
  readonly cidr: readonly string[];
  readonly port: MeshServicePort;
  readonly service: MeshService;
}

/** What the outbound listener builder needs. */
export interface OutboundListenerContext {
  readonly ps: PushContext;
  readonly proxy: ProxyNode;
  readonly scope: SidecarScope;
  readonly tcp: TcpChainContext;
}

/** `conflictWithReservedListener`: HTTP (or wildcard-bound) ports Envoy already uses. */
function conflictsWithReserved(ctx: OutboundListenerContext, bind: string, port: number, p: Protocol): boolean {
  if (bind !== '' ? bind !== WILDCARD : !isHTTP(p)) return false;
  const mesh = ctx.ps.model.meshConfig;
  return port === 15021 || port === 15090 || port === mesh.proxyListenPort || port === mesh.proxyInboundListenPort;
}

/** `buildSidecarOutboundListeners`. */
export function buildSidecarOutboundListeners(ctx: OutboundListenerContext): Listener[] {
  const map = new Map<string, OutboundListenerEntry>();
  const none = ctx.proxy.interceptionMode === 'NONE';
  for (const egress of ctx.scope.egressListeners) {
    const il = egress.istioListener;
    const bindToPort = none || il?.captureMode === 'NONE' || (il?.bind ?? '').startsWith('unix://');
    const binds = il?.bind !== undefined && il.bind !== '' ? [il.bind] : bindToPort ? [LOCALHOST] : [];
    if (il?.port !== undefined) {
      const port: MeshServicePort = {
        port: il.port.number ?? 0,
        protocol: parseProtocol(il.port.protocol ?? ''),
        name: il.port.name ?? '',
      };
      if (conflictsWithReserved(ctx, binds[0] ?? '', port.port, port.protocol)) continue;
      for (const service of egress.services)
        build(ctx, { binds, bindToPort, cidr: [], port, service }, map, egress.virtualServices);
      continue;
    }
    for (const e of map.values()) e.locked = true;
    for (const service of egress.services) {
      for (const port of service.ports) {
        if (conflictsWithReserved(ctx, binds[0] ?? '', port.port, port.protocol)) continue;
        const opts: Opts = { binds, bindToPort, cidr: [], port, service };
        const headless =
          binds.length === 0 &&
          service.resolution === 'Passthrough' &&
          addressForProxy(service, ctx.proxy) === UNSPECIFIED_IP;
        if (!headless || !(isTCP(port.protocol) || isSniffed(port.protocol))) {
          build(ctx, opts, map, egress.virtualServices);
          continue;
        }
        // Headless services: one listener per endpoint IP (a ServiceEntry without endpoints: the wildcard).
        const instances = ctx.ps.endpointsByPort(service, port.port);
        if (service.registry !== 'Kubernetes' && instances.length === 0 && service.labelSelector === undefined) {
          build(ctx, opts, map, egress.virtualServices);
          continue;
        }
        for (const ep of instances) {
          if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ep.address) || ep.address === ctx.proxy.ip) continue;
          build(ctx, { ...opts, binds: [ep.address] }, map, egress.virtualServices);
        }
      }
    }
  }
  const mode = ctx.scope.outboundTrafficPolicy;
  const pdt = formatProtoDuration(ctx.ps.model.meshConfig.protocolDetectionTimeout);
  return [...map.values()].map((e) => buildListenerFromEntry(e, mode, pdt, ctx.scope.outboundTrafficPolicySource));
}

function serviceSource(s: MeshService): Provenance {
  return { kind: s.kind, namespace: s.namespace, name: s.name, file: s.source.file, line: s.source.line };
}

/** `buildSidecarOutboundHTTPListenerOpts`. */
function httpChain(opts: Opts, listenerProtocol: ListenerProtocol): FilterChainOpts {
  const primary = opts.binds[0] ?? '';
  const rds =
    opts.port.port === 0
      ? primary
      : listenerProtocol === 'AUTO' && primary !== WILDCARD
        ? `${opts.service.hostname}:${opts.port.port}`
        : String(opts.port.port);
  return { http: { rds, protocol: opts.port.protocol, class: 'sidecarOutbound', useRemoteAddress: false } };
}

/** `buildSidecarOutboundTCPListenerOpts`: TLS chains then TCP chains, from the VirtualServices for the host. */
function tcpChains(ctx: OutboundListenerContext, opts: Opts, virtualServices: readonly VsConfig[]): FilterChainOpts[] {
  const configs = virtualServices.filter((vs) =>
    (vs.spec.hosts ?? []).some((h) => hostMatches(h, opts.service.hostname)),
  );
  return [
    ...sidecarOutboundTLSChains(ctx.tcp, opts.cidr, opts.service, opts.binds[0] ?? '', opts.port, configs),
    ...sidecarOutboundTCPChains(ctx.tcp, opts.cidr, opts.service, opts.port, configs),
  ];
}

/** `buildSidecarOutboundListener`. */
function build(
  ctx: OutboundListenerContext,
  input: Opts,
  map: Map<string, OutboundListenerEntry>,
  virtualServices: readonly VsConfig[],
): void {
  if (input.service.resolution === 'Alias') return;
  let opts = input;
  let portProtocol: Protocol = opts.port.protocol;
  const lp = listenerProtocolOf(opts.port.protocol);
  if (lp === 'TCP' || lp === 'AUTO') {
    if (opts.binds.length === 0) {
      const addr = addressForProxy(opts.service, ctx.proxy);
      const extra = extraAddressesForProxy(opts.service, ctx.proxy);
      if (addr !== '')
        opts = addr.includes('/')
          ? { ...opts, binds: [WILDCARD], cidr: [addr, ...extra] }
          : { ...opts, binds: [addr, ...extra] };
    }
  } else if (lp === 'HTTP' && opts.binds.length === 0) opts = { ...opts, binds: [WILDCARD] };
  const primary = opts.binds[0] ?? '';
  const key = `${primary}:${opts.port.port}`;
  const current = map.get(key);
  if (current?.locked === true) return;
  let chains: FilterChainOpts[];
  let conflict: 'none' | 'httpOverTcp' | 'tcpOverHttp' | 'tcpOverTcp' | 'tcpOverAuto' | 'autoOverHttp' | 'autoOverTcp' =
    'none';
  if (portProtocol === 'HTTP_PROXY') chains = [httpChain(opts, lp)];
  else if (lp === 'HTTP') {
    if (current !== undefined) {
      if (!isTCP(current.protocol)) return; // listener already exists (HTTP or sniffed)
      conflict = 'httpOverTcp';
    }
    const c = httpChain(opts, lp);
    if (primary === WILDCARD) {
      chains = [{ ...c, applicationProtocols: [...PLAINTEXT_HTTP_ALPNS], transportProtocol: 'raw_buffer' }];
      portProtocol = 'UnsupportedProtocol'; // an HTTP chain beside the passthrough chain: sniffed
    } else chains = [c];
  } else if (lp === 'TCP') {
    chains = tcpChains(ctx, opts, virtualServices);
    if (current !== undefined)
      conflict = isHTTP(current.protocol) ? 'tcpOverHttp' : isTCP(current.protocol) ? 'tcpOverTcp' : 'tcpOverAuto';
  } else if (lp === 'AUTO') {
    if (current !== undefined) {
      if (isHTTP(current.protocol)) conflict = 'autoOverHttp';
      else if (isTCP(current.protocol)) conflict = 'autoOverTcp';
      else return; // auto over auto: already exists
    }
    chains = [
      ...tcpChains(ctx, opts, virtualServices),
      { ...httpChain(opts, lp), applicationProtocols: [...PLAINTEXT_HTTP_ALPNS], transportProtocol: 'raw_buffer' },
    ];
  } else return; // UDP
  // Mongo and MySQL never share a port with another protocol (server-first protocols break sniffing).
  if (current !== undefined && conflict !== 'none') {
    const inc = opts.port.protocol;
    const ex = current.protocol;
    if ((inc === 'Mongo' || inc === 'MySQL' || ex === 'Mongo' || ex === 'MySQL') && inc !== ex) return;
  }
  switch (conflict) {
    case 'none':
    case 'autoOverHttp':
      map.set(key, {
        port: opts.port.port,
        bind: primary,
        bindToPort: opts.bindToPort,
        locked: false,
        chains,
        protocol: portProtocol,
        sources: [serviceSource(opts.service)],
      });
      break;
    case 'httpOverTcp':
    case 'tcpOverHttp':
    case 'autoOverTcp':
      mergeTCPFilterChains(current as OutboundListenerEntry, chains, opts.service);
      (current as OutboundListenerEntry).protocol = 'UnsupportedProtocol';
      break;
    case 'tcpOverTcp':
    case 'tcpOverAuto':
      mergeTCPFilterChains(current as OutboundListenerEntry, chains, opts.service);
      break;
  }
}

/** `mergeTCPFilterChains`: add the incoming chains that do not conflict with an existing one. */
function mergeTCPFilterChains(
  current: OutboundListenerEntry,
  incoming: readonly FilterChainOpts[],
  service: MeshService,
): void {
  const merged = [...current.chains];
  let added = false;
  for (const c of incoming) {
    if (merged.some((e) => conflictsWith(e, c))) continue;
    merged.push(c);
    added = true;
  }
  current.chains = merged;
  if (added) current.sources.push(serviceSource(service));
}
