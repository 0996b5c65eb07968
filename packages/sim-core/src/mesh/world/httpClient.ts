/**
 * An HTTP/1.1 client as applications use one: it resolves the URL's host when it opens a connection (the
 * pod's resolver: kube-dns, or the Istio agent's DNS proxy with DNS capture; each name the search path
 * tries costs a round trip), keeps connections alive and reuses an idle one for the next request to the
 * same address, sends one request at a time per connection, and closes a connection when it gives up on a
 * request (its own timeout). Whether the connection reaches the pod's sidecar or goes straight to the
 * destination (kube-proxy's DNAT) is the transport's business. Closed-loop traffic pins each generator
 * connection to one TCP connection, as Fortio does.
 */
import type { SimTime } from '../../engine/time.js';
import type { DnsAnswer } from '../../k8s/dns/clusterDns.js';
import { ActiveStream } from '../../envoy/http/activeStream.js';
import type { StreamResetReason } from '../../envoy/router/retryState.js';
import type {
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamStreamCallbacks,
} from '../../envoy/router/routerContext.js';
import { portStart } from '../../envoy/router/virtualHost.js';
import type { OutboundHandle, OutboundRequest, OutboundResult } from '../app/ports.js';
import type { Network } from '../network/network.js';
import type { Instance } from './instance.js';
import type { Origin, Transport } from './transport.js';
import type { ClientWire, WireStream } from './wire.js';

/** How a call ended, as the client saw it. */
export interface CallRecord {
  readonly source: Instance | undefined;
  readonly sourceLabel: string;
  readonly generator: string | undefined;
  readonly request: OutboundRequest;
  readonly startTime: SimTime;
  readonly endTime: SimTime;
  /** Status received; 0 without a response. */
  readonly status: number;
  /** The client-side Envoy's stream (sidecar or gateway), when the call went through one. */
  readonly stream: ActiveStream | undefined;
  /** Why there was no response, when there was none. */
  readonly failure?: 'dns' | 'connect' | 'reset' | 'cancelled';
  /** The workload the connection reached when no Envoy was in the way (`namespace/pod`). */
  readonly directPeer?: string;
}

/** What a client needs from the world. */
export interface ClientWorld {
  readonly transport: Transport;
  readonly network: Network;
  now(): SimTime;
  schedule(delay: number, fn: () => void): { cancel(): void };
  /** The pod's resolver. */
  resolve(source: Instance, host: string): DnsAnswer;
  /** A call started. */
  callStarted(): void;
  /** A call ended. */
  record(call: CallRecord): void;
  /** Calls `fn` once when `stream` (an Envoy's stream, not yet ended) ends and has been logged. */
  whenStreamEnds(stream: ActiveStream, fn: () => void): void;
}

/** Per-call options. */
export interface CallOptions {
  readonly generator?: string;
  /** A closed-loop connection id: the call uses that connection. */
  readonly connection?: number;
}

// An app's calls come without options: one shared object, not a fresh default per call.
const NO_OPTIONS: CallOptions = Object.freeze({});
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** One TCP connection of the client. */
class Conn {
  wire: ClientWire | undefined;
  state: 'connecting' | 'idle' | 'busy' | 'closed' = 'connecting';
  failed = false;
  waiting: Call | undefined;
  constructor(readonly dest: Destination) {}
}

/** Where an authority goes, resolved once (DNS answers are cached until flushed). */
class Destination {
  readonly idle: Conn[] = [];
  readonly pinned = new Map<number, Conn>();
  /** The DNS wait a new connection pays (0 once resolved, or for an IP). */
  dnsTime = 0;
  constructor(
    readonly ip: string | undefined,
    readonly port: number,
    readonly answer: DnsAnswer | undefined,
    /** For https: the TLS server name (the authority's host) the connection sends. */
    readonly sni?: string,
  ) {}
}

/** One client (an app container, or an outside client). */
export class HttpClient {
  private destinations = new Map<string, Destination>();

  /**
   * `origin`: where connections start. `target`: for a client that does not resolve names (an outside
   * client of a gateway), the fixed `ip:port` to connect to.
   */
  constructor(
    /** @internal */ readonly world: ClientWorld,
    readonly origin: Origin,
    readonly label: string,
    private readonly target?: { readonly ip: string; readonly port: number; readonly tlsPort?: number },
  ) {}

  /** Forgets cached DNS answers (after a configuration change). */
  flushDns(): void {
    this.destinations = new Map();
  }

  /** Sends one request; `done` is called once, later, unless the returned handle is cancelled. */
  send(
    request: OutboundRequest,
    done: (result: OutboundResult) => void,
    options: CallOptions = NO_OPTIONS,
  ): OutboundHandle {
    const w = this.world;
    w.callStarted();
    const call = new Call(this, request, done, w.now(), options.generator);
    const dest = this.destination(request.authority, request.scheme === 'https');
    if (dest.ip === undefined) {
      const failAfter = dest.dnsTime;
      dest.dnsTime = 0;
      this.failDnsAfter(call, failAfter);
      return call;
    }
    const pin = options.connection;
    let conn: Conn | undefined;
    if (pin === undefined) {
      const idle = dest.idle;
      while (idle.length > 0) {
        const c = idle.pop() as Conn;
        if (c.state === 'idle') {
          conn = c;
          break;
        }
      }
    } else {
      conn = dest.pinned.get(pin);
      if (conn !== undefined && conn.state !== 'idle') conn = undefined;
    }
    if (conn !== undefined) {
      call.start(conn, pin);
      return call;
    }
    const dnsTime = dest.dnsTime;
    dest.dnsTime = 0;
    if (dnsTime > 0) this.openAfter(call, dest, pin, dnsTime);
    else this.openFor(call, dest, pin);
    return call;
  }

  // The rare outcomes of `send` schedule their closures here: a closure in `send` would make V8 allocate its
  // context on every call.
  private failDnsAfter(call: Call, after: number): void {
    this.world.schedule(after, () => call.fail('dns'));
  }

  private openAfter(call: Call, dest: Destination, pin: number | undefined, after: number): void {
    this.world.schedule(after, () => this.openFor(call, dest, pin));
  }

  private destination(authority: string, tls = false): Destination {
    const key = tls ? `https://${authority}` : authority;
    let d = this.destinations.get(key);
    if (d !== undefined) return d;
    const colon = portStart(authority);
    const host = (colon < 0 ? authority : authority.slice(0, colon)).replace(/^\[|\]$/g, '');
    const fixed =
      this.target === undefined ? undefined : tls ? (this.target.tlsPort ?? this.target.port) : this.target.port;
    const port = fixed ?? (colon < 0 ? (tls ? 443 : 80) : Number(authority.slice(colon + 1)));
    // curl sends the URL's host as SNI (never an IP address, RFC 6066 §3).
    const sni = tls && !(/^[\d.]+$/.test(host) || host.includes(':')) ? host : undefined;
    if (this.target !== undefined) d = new Destination(this.target.ip, port, undefined, sni);
    else if (/^[\d.]+$/.test(host) || host.includes(':')) d = new Destination(host, port, undefined, sni);
    else {
      const answer = this.world.resolve(this.origin.instance as Instance, host);
      const first = answer.addresses[0];
      d = new Destination(answer.rcode === 'NOERROR' ? first : undefined, port, answer, sni);
      d.dnsTime = this.dnsTime(answer);
    }
    this.destinations.set(key, d);
    return d;
  }

  // DNS round trips: one per name the search path tries (A and AAAA go out together).
  private dnsTime(answer: DnsAnswer): number {
    const net = this.world.network;
    const viaProxy = answer.answeredBy === 'istio-dns-proxy';
    const cls = viaProxy ? 'loopback' : this.origin.endpoint.kind === 'vm' ? 'vm' : 'crossNode';
    let t = 0;
    for (let i = 0; i < Math.max(1, answer.tried.length); i++) t += net.latency(cls) + net.latency(cls);
    return t;
  }

  private openFor(call: Call, dest: Destination, pin: number | undefined): void {
    if (call.cancelled) return;
    const conn = new Conn(dest);
    conn.waiting = call;
    if (pin !== undefined) dest.pinned.set(pin, conn);
    conn.wire = this.world.transport.open(
      this.origin,
      dest.ip as string,
      dest.port,
      call.request.scheme === 'https'
        ? {
            transport: 'tls',
            protocol: 'HTTP/1.1',
            alpn: ['http/1.1'],
            ...(dest.sni !== undefined ? { sni: dest.sni } : {}),
          }
        : { transport: 'plaintext', protocol: 'HTTP/1.1' },
      new ConnEvents(this, conn, pin),
    );
  }

  /** @internal the call on `conn` is over: an HTTP/1.1 keep-alive connection goes back to the idle list. */
  release(conn: Conn, pin: number | undefined): void {
    if (conn.state !== 'busy') return;
    conn.state = 'idle';
    if (pin === undefined) conn.dest.idle.push(conn);
  }

  /** @internal the call ended: it is its own {@link CallRecord} (no record object per call). */
  record(
    call: Call,
    status: number,
    stream: ActiveStream | undefined,
    failure: CallRecord['failure'],
    peer: string | undefined,
    endTime?: SimTime,
  ): void {
    const w = this.world;
    call.endTime = endTime ?? w.now();
    call.status = status;
    call.stream = stream;
    call.failure = failure;
    call.directPeer = peer;
    w.record(call);
  }
}

class ConnEvents {
  constructor(
    private readonly client: HttpClient,
    private readonly conn: Conn,
    private readonly pin: number | undefined,
  ) {}

  onConnected(): void {
    const conn = this.conn;
    if (conn.state !== 'connecting') return;
    conn.state = 'idle';
    const w = conn.waiting;
    conn.waiting = undefined;
    if (w !== undefined && !w.cancelled) w.start(conn, this.pin);
    else {
      conn.state = 'busy';
      this.client.release(conn, this.pin);
    }
  }

  onConnectFailed(): void {
    const conn = this.conn;
    conn.state = 'closed';
    conn.failed = true;
    const w = conn.waiting;
    conn.waiting = undefined;
    w?.fail('connect');
  }

  onRemoteClose(): void {
    this.conn.state = 'closed';
  }
}

/**
 * One call (one attempt of the app's client). It is its own request on the wire (`UpstreamHttpRequest`)
 * and, once it ended, its own {@link CallRecord}: no object per step.
 */
class Call implements OutboundHandle, UpstreamStreamCallbacks, UpstreamHttpRequest, CallRecord {
  cancelled = false;
  /** The request's headers on the wire (pseudo-headers first), once sent. */
  headers: Readonly<Record<string, string>> = NO_HEADERS;
  readonly bodyBytes: number;
  readonly source: Instance | undefined;
  readonly sourceLabel: string;
  endTime: SimTime = 0;
  status = 0;
  stream: ActiveStream | undefined = undefined;
  failure: CallRecord['failure'] = undefined;
  directPeer: string | undefined = undefined;
  private settled = false;
  private handle: WireStream | undefined;
  private conn: Conn | undefined;
  private pin: number | undefined;

  constructor(
    private readonly client: HttpClient,
    readonly request: OutboundRequest,
    private readonly done: (result: OutboundResult) => void,
    readonly startTime: SimTime,
    readonly generator: string | undefined,
  ) {
    this.source = client.origin.instance;
    this.sourceLabel = client.label;
    this.bodyBytes = request.bodyBytes;
  }

  start(conn: Conn, pin: number | undefined): void {
    if (this.cancelled || this.settled) return;
    conn.state = 'busy';
    this.conn = conn;
    this.pin = pin;
    const r = this.request;
    // The app's own headers override the pseudo-headers, as the former for-in copy did (a spread is faster).
    this.headers = {
      ':method': r.method,
      ':path': r.path,
      ':authority': r.authority,
      ':scheme': r.scheme ?? 'http',
      ...r.headers,
    };
    this.handle = (conn.wire as ClientWire).sendRequest(this, this);
  }

  onResponse(resp: UpstreamHttpResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.client.release(this.conn as Conn, this.pin);
    const stream = envoyStreamOf(this.handle);
    this.client.record(this, resp.status, stream, undefined, stream === undefined ? this.peer() : undefined);
    this.done({ kind: 'response', status: resp.status, bodyBytes: resp.bodyBytes });
  }

  onReset(_reason: StreamResetReason): void {
    if (this.settled) return;
    this.settled = true;
    (this.conn as Conn).state = 'closed';
    this.client.record(this, 0, undefined, 'reset', this.peer());
    this.done({ kind: 'reset' });
  }

  /**
   * The client gives up (its own timeout): the connection is closed. When the request had reached an Envoy
   * (the pod's sidecar, or a gateway) that Envoy had routed it — cluster, and upstream host once a try
   * started — and it ends the stream when the reset reaches it, with code 0 and `DC`
   * (`ConnectionManagerImpl::ActiveStream::onResetStream`, envoyproxy/envoy
   * source/common/http/conn_manager_impl.cc): the outcome waits for that, so it names the destination and
   * carries the flags the Envoy logs. Without an Envoy in front, it names the workload the connection reached.
   */
  cancel(): void {
    if (this.cancelled || this.settled) return;
    this.cancelled = true;
    this.settled = true;
    if (this.conn !== undefined) this.conn.state = 'closed';
    const handle = this.handle;
    const stream = envoyStreamOf(handle);
    handle?.reset();
    const client = this.client;
    if (stream !== undefined && !stream.done) {
      const endTime = client.world.now();
      client.world.whenStreamEnds(stream, () => client.record(this, 0, stream, 'cancelled', undefined, endTime));
      return;
    }
    const own = client.origin.instance;
    const peer = this.conn?.wire?.peer;
    // No stream: either no Envoy on the way (a direct connection) or the request had not reached it yet.
    const direct = stream === undefined && own !== undefined && peer !== undefined && peer !== own;
    client.record(this, 0, stream, 'cancelled', direct ? peer.key : undefined);
  }

  fail(why: 'dns' | 'connect'): void {
    if (this.settled) return;
    this.settled = true;
    this.client.record(this, 0, undefined, why, undefined);
    this.done({ kind: 'connectFailure' });
  }

  // The workload the connection reached (what kube-proxy chose, without a sidecar).
  private peer(): string | undefined {
    return this.conn?.wire?.peer?.key;
  }
}

// The Envoy stream (sidecar or gateway) serving a wire stream: its server side keeps it on the wire stream
// (servers.ts `EnvoyServerSide.onRequest`); an app or an outside host keeps something else there.
function envoyStreamOf(wire: WireStream | undefined): ActiveStream | undefined {
  const context = wire?.context;
  return context instanceof ActiveStream ? context : undefined;
}
