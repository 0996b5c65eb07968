/**
 * Where a new TCP connection goes, decided as the packets would go: first the source workload's own
 * netfilter OUTPUT chain (an app's connection is redirected to its sidecar's 15001; Envoy's own are not,
 * except to its pod's address, which goes to 15006), then kube-proxy's DNAT on the source's node when the
 * destination is a ClusterIP (no sidecar in the way), then the destination workload: a pod's PREROUTING
 * capture to 15006 when it has a sidecar, a gateway's bound listener, the app itself, or a host outside the
 * mesh. The decision yields a connection plan (accept, close, refuse, TLS failure, black hole) that the
 * {@link ClientWire} plays out over the network model.
 */
import type { Simulation } from '../../engine/simulation.js';
import type { Duration } from '../../engine/time.js';
import type { DownstreamConnection } from '../../envoy/listener/connection.js';
import type { NetworkEndpoint } from '../network/hop.js';
import type { Network } from '../network/network.js';
import type { UpstreamTls, WireEvents } from '../sidecar/connPool.js';
import type { EnvoyProxy } from '../sidecar/envoyProxy.js';
import type { Instance } from './instance.js';
import { AppServerSide, EnvoyServerSide, ExternalServerSide, type ProxyDirection } from './servers.js';
import { ClientWire, type ConnectPlan } from './wire.js';

/** Who opens a connection. */
export interface Origin {
  readonly endpoint: NetworkEndpoint;
  /** The source address (the pod's, or `127.0.0.6` for Envoy's inbound clusters). */
  readonly ip: string;
  /** The workload it starts in (undefined: a client outside the mesh). */
  readonly instance: Instance | undefined;
  /** The socket owner: the app's uid, or 1337 for Envoy. */
  readonly uid: number;
  /** The Envoy opening it, when one does (its identity for mTLS, its workload for metadata exchange). */
  readonly proxy: EnvoyProxy | undefined;
}

/** How the client speaks on the connection. */
export interface ConnectOptions {
  readonly transport: UpstreamTls;
  readonly protocol: 'HTTP/1.1' | 'HTTP/2';
  readonly sni?: string;
  /** ALPN offered (Istio's sidecars: `istio-http/1.1` / `istio-h2` over mTLS). */
  readonly alpn?: readonly string[];
  /** Envoy's connect timeout; undefined: the kernel's (127 s). */
  readonly connectTimeout?: Duration;
}

/** What the transport needs from the world. */
export interface TransportContext {
  readonly sim: Simulation;
  readonly network: Network;
  /** The pod or VM with this address, if any. */
  instanceByIp(ip: string): Instance | undefined;
  /** The actor for an address outside the modelled workloads. */
  externalHost(ip: string): Instance;
  /**
   * kube-proxy's DNAT on `origin`'s node for a ClusterIP destination: the endpoint chosen for this new
   * connection, `'reject'` when the Service has no endpoints, undefined when `ip` is no ClusterIP.
   */
  kubeProxy(origin: Origin, ip: string, port: number): { ip: string; port: number } | 'reject' | undefined;
  /** Hop-level trace hook, set only when the run keeps a trace. */
  readonly trace?: (kind: string, detail: Readonly<Record<string, unknown>>) => void;
}

const REFUSED = 'delayed connect error: Connection refused';
// What BoringSSL reports when the peer answers a ClientHello with plaintext (an app without a sidecar),
// and when the peer closes the connection during the handshake (a listener that refuses the client).
const TLS_WRONG_VERSION = 'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';
const TLS_RESET = 'TLS_error:|Connection_reset_by_peer:TLS_error_end';

/** Opens connections between actors. */
export class Transport {
  private readonly ctx: TransportContext;
  private readonly ports = new Map<string, number>();

  constructor(ctx: TransportContext) {
    this.ctx = ctx;
  }

  /** Opens a connection from `origin` to `ip:port`; `events` learn how it goes. */
  open(origin: Origin, ip: string, port: number, options: ConnectOptions, events: WireEvents): ClientWire {
    const ctx = this.ctx;
    let dstIp = ip;
    let dstPort = port;
    let target: Instance | undefined;
    let plan: ConnectPlan | undefined;
    const own = origin.instance;
    // Only a traced run collects the path (chains, DNAT, listener) of each connection.
    const path: string[] | undefined = ctx.trace === undefined ? undefined : [];
    // 1. The source's OUTPUT chain.
    const out = own?.capture?.outbound(ip, port, origin.uid, origin.ip === own.ip ? undefined : origin.ip);
    if (path !== undefined && out !== undefined) path.push(out.path);
    if (own !== undefined && out?.port !== undefined && own.proxy !== undefined) {
      target = own;
      plan = this.envoyPlan(origin, own, own.proxy, ip, port, out.port, options, path);
    } else {
      // 2. kube-proxy's DNAT for ClusterIPs.
      const dnat = origin.ip === ip ? undefined : ctx.kubeProxy(origin, ip, port);
      if (dnat === 'reject') {
        target = ctx.externalHost(ip);
        plan = { kind: 'fail', failure: 'remote', transportFailureReason: REFUSED, via: 'refuse' };
        path?.push('KUBE-SERVICES: no endpoints → REJECT');
      } else {
        if (dnat !== undefined) {
          dstIp = dnat.ip;
          dstPort = dnat.port;
          path?.push(`KUBE-SERVICES → DNAT ${dstIp}:${dstPort}`);
        }
        target = ctx.instanceByIp(dstIp) ?? ctx.externalHost(dstIp);
        plan = this.destinationPlan(origin, target, dstIp, dstPort, options, path);
      }
    }
    const wire = new ClientWire(
      ctx.sim,
      ctx.network,
      origin.endpoint,
      target.endpoint,
      events,
      options.protocol === 'HTTP/2',
    );
    wire.peer = target;
    if (target.kind !== 'external') {
      const t = target;
      t.connections.add(wire);
      wire.onTerminate = () => t.connections.delete(wire);
    }
    const local = `${origin.ip}:${this.ephemeralPort(origin.ip)}`;
    if (ctx.trace !== undefined) {
      wire.trace = ctx.trace;
      ctx.trace('tcp.connect', {
        from: local,
        to: `${ip}:${port}`,
        ...(dstIp !== ip || dstPort !== port ? { dnat: `${dstIp}:${dstPort}` } : {}),
        target: target.key,
        transport: options.transport,
        netfilter: path ?? [],
        plan: plan.kind === 'fail' ? `fail (${plan.via})` : plan.kind,
      });
    }
    wire.start(plan, options.connectTimeout, local);
    return wire;
  }

  // 3. At the destination: capture into its sidecar, a gateway, the app, or an outside host.
  private destinationPlan(
    origin: Origin,
    target: Instance,
    ip: string,
    port: number,
    o: ConnectOptions,
    path: string[] | undefined,
  ): ConnectPlan {
    if (target.state === 'dead') {
      // A crashed pod's kernel refuses (RST); a deleted pod's address answers nothing (SYN retries time out).
      return target.crashed
        ? { kind: 'fail', failure: 'remote', transportFailureReason: REFUSED, via: 'refuse' }
        : { kind: 'fail', failure: 'timeout', transportFailureReason: '', via: 'blackhole' };
    }
    if (target.kind === 'external')
      return {
        kind: 'accept',
        server: new ExternalServerSide(() => this.ctx.sim.now),
        tlsRoundTrip: o.transport !== 'plaintext',
      };
    const proxy = target.proxy;
    if (proxy !== undefined && target.isGateway)
      return this.envoyPlan(origin, target, proxy, ip, port, undefined, o, path);
    const sameWorkload = origin.instance === target;
    if (proxy !== undefined && !sameWorkload) {
      const v = target.capture?.inboundFrom(origin.ip, port);
      if (path !== undefined && v !== undefined) path.push(v.path);
      if (v?.port !== undefined) return this.envoyPlan(origin, target, proxy, ip, port, v.port, o, path);
    }
    // The application itself answers: it speaks plaintext HTTP.
    if (o.transport !== 'plaintext') {
      return { kind: 'fail', failure: 'remote', transportFailureReason: TLS_WRONG_VERSION, via: 'tls' };
    }
    return { kind: 'accept', server: new AppServerSide(target, () => this.ctx.sim.now), tlsRoundTrip: false };
  }

  private envoyPlan(
    origin: Origin,
    target: Instance,
    proxy: EnvoyProxy,
    ip: string,
    port: number,
    capturePort: number | undefined,
    o: ConnectOptions,
    trace: string[] | undefined,
  ): ConnectPlan {
    const conn: DownstreamConnection = {
      destinationAddress: ip,
      destinationPort: port,
      sourceAddress: origin.ip,
      sourcePort: 40000,
      transport: o.transport === 'plaintext' ? 'plaintext' : 'tls',
      plaintextProtocol: o.protocol === 'HTTP/2' ? 'h2c' : 'http/1.1',
      ...(o.sni !== undefined ? { serverName: o.sni } : {}),
      applicationProtocols: o.alpn ?? [],
      clientCertificate: o.transport === 'mtls',
    };
    const path = proxy.accept(conn, o.transport, capturePort);
    if (trace !== undefined) {
      trace.push(
        path.kind === 'refused'
          ? `${proxy.name}: no listener (RST)`
          : path.kind === 'closed'
            ? `${proxy.name}: listener ${path.listener.name} closes (${path.reason})`
            : `${proxy.name}: listener ${path.listener.name}, filter chain ${path.chainName} (${path.kind === 'http' ? 'HTTP connection manager' : 'TCP proxy'})`,
      );
    }
    if (path.kind === 'refused')
      return { kind: 'fail', failure: 'remote', transportFailureReason: REFUSED, via: 'refuse' };
    if (path.kind === 'closed') {
      return o.transport === 'plaintext'
        ? { kind: 'closeAfterAccept' }
        : { kind: 'fail', failure: 'remote', transportFailureReason: TLS_RESET, via: 'tls' };
    }
    if (path.kind === 'tcp' || path.manager === undefined) {
      // A TCP proxy hands the bytes on; meshsim forwards them to the application behind it.
      const app = capturePort === 15001 ? undefined : target;
      if (app === undefined) return { kind: 'closeAfterAccept' };
      return {
        kind: 'accept',
        server: new AppServerSide(app, () => this.ctx.sim.now),
        tlsRoundTrip: o.transport !== 'plaintext',
      };
    }
    const direction: ProxyDirection =
      capturePort === 15001 ? 'outbound' : capturePort === undefined ? 'gateway' : 'inbound';
    const assignment = direction === 'outbound' ? proxy.outboundWorkers : proxy.inboundWorkers;
    const worker = assignment.accept();
    const sourcePort = this.peekPort(origin.ip);
    const server = new EnvoyServerSide(
      proxy,
      path.manager,
      {
        localAddress: `${ip}:${port}`,
        remoteAddress: `${origin.ip}:${sourcePort}`,
        remoteIp: origin.ip,
        requestedServerName: o.transport === 'plaintext' ? undefined : o.sni,
        tls: path.tls,
        protocol: o.protocol,
        worker,
      },
      direction,
      direction === 'outbound' ? target : origin.instance,
      origin.proxy !== undefined,
      o.transport === 'mtls' ? origin.proxy?.meshProxy.serviceAccount : undefined,
      () => assignment.close(worker),
    );
    return { kind: 'accept', server, tlsRoundTrip: o.transport !== 'plaintext' };
  }

  // Ephemeral source ports in turn from net.ipv4.ip_local_port_range (32768–60999), per source address.
  private ephemeralPort(ip: string): number {
    const p = this.peekPort(ip);
    this.ports.set(ip, p >= 60999 ? 32768 : p + 1);
    return p;
  }

  private peekPort(ip: string): number {
    return this.ports.get(ip) ?? 32768;
  }
}
