/**
 * TCP connections between actors, as the world carries them: the handshake (SYN, SYN-ACK; one more round
 * trip for TLS) over the network model, then requests and responses as messages with the network's
 * latency, losses turned into retransmission delays, per-exchange resets and partitions. One connection
 * joins a client side (an app, an Envoy's pool, an outside client) to a {@link ServerSide} (an Envoy's
 * listener, an app, an outside host). A request is handed to the server when it has arrived and the
 * server's own request processing (an Envoy's request pass) is done — one event; the client learns the
 * response when it arrives back.
 */
import type { EventHandler } from '../../engine/eventQueue.js';
import type { Simulation } from '../../engine/simulation.js';
import type { Duration, SimTime } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import type { StreamResetReason } from '../../envoy/router/retryState.js';
import type {
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamStreamCallbacks,
  UpstreamStreamHandle,
} from '../../envoy/router/routerContext.js';
import { classifyHop, type HopClass, type NetworkEndpoint } from '../network/hop.js';
import { TRANSIT_TIMEOUT_AFTER, type Network } from '../network/network.js';
import type { ConnectFailure, WireConnection, WireEvents } from '../sidecar/connPool.js';

/** The far end of a connection: what serves the requests sent on it. */
export interface ServerSide {
  /** Time the server spends on a request before handling it (an Envoy's request pass); drawn per request. */
  requestDelay(): Duration;
  /** A request is handled now; it arrived at `arrival` (before the request delay). */
  onRequest(stream: WireStream, request: UpstreamHttpRequest, arrival: SimTime): void;
  /** The client reset the stream (the reset reached the server now). */
  onCancel(stream: WireStream): void;
  /** The client closed the connection (reached the server now). */
  onClose(): void;
}

/** How a connection attempt ends, decided when it starts. */
export type ConnectPlan =
  | { readonly kind: 'accept'; readonly server: ServerSide; readonly tlsRoundTrip: boolean }
  /** Established, then closed by the server right away (e.g. no filter chain for a plaintext client). */
  | { readonly kind: 'closeAfterAccept' }
  /** The handshake fails: nothing listens (RST), a TLS handshake is refused, or no answer. */
  | {
      readonly kind: 'fail';
      readonly failure: ConnectFailure;
      readonly transportFailureReason: string;
      readonly via: 'refuse' | 'tls' | 'blackhole';
    };

// Where a stream's exchange is (at most one of its messages is in flight at a time).
const REQUEST_IN_FLIGHT = 0;
const REQUEST_ARRIVED = 1;
const RESPONSE_IN_FLIGHT = 2;
// The response was lost (the network timed it out): its event closes the connection.
const RESPONSE_LOST = 3;

// The two events of a stream's exchange (`WireStream.handleEvent`): the stream itself is the event's target.
const REQUEST_ARRIVES = 0;
const RESPONSE_ARRIVES = 1;

/**
 * One stream (request/response exchange) on a wire connection. Once the server answers, the stream also
 * carries the response (`status`, `bodyBytes`, `headers`) and is handed to the client as its
 * `UpstreamHttpResponse`: no response object per exchange.
 */
export class WireStream implements UpstreamStreamHandle, UpstreamHttpResponse, EventHandler {
  /** Free for the server side (an Envoy's `ActiveStream`, an app's `InboundHandle`). */
  context: unknown = undefined;
  done = false;
  /** @internal */ arrival: SimTime = 0;
  /** The response's status (0 until the server answered). */
  status = 0;
  /** The response's body size (the request's is `request.bodyBytes`). */
  bodyBytes = 0;
  /** The response headers that matter to Envoy, when the server sent any. */
  headers: Readonly<Record<string, string>> | undefined = undefined;
  /** @internal `x-request-id` when the request was sent; kept only for trace records. */
  requestId: string | undefined = undefined;
  /** @internal */ phase = REQUEST_IN_FLIGHT;

  constructor(
    readonly wire: ClientWire,
    readonly callbacks: UpstreamStreamCallbacks,
    /** @internal */ readonly request: UpstreamHttpRequest,
  ) {}

  /** Whether the request reached the server. */
  get arrived(): boolean {
    return this.phase !== REQUEST_IN_FLIGHT;
  }

  /**
   * The server answers; the response reaches the client after the return trip. `sentAt` ≥ now. `headers`:
   * the response headers that matter to Envoy, if any.
   */
  respond(
    status: number,
    bodyBytes: number,
    headers: Readonly<Record<string, string>> | undefined,
    sentAt: SimTime,
  ): void {
    this.wire.deliverResponse(this, status, bodyBytes, headers, sentAt);
  }

  /** The server resets the stream (HTTP/1.1: closes the connection). */
  serverReset(reason: StreamResetReason = 'ConnectionTermination', at?: SimTime): void {
    this.wire.deliverReset(this, reason, at);
  }

  /** The client resets the stream (`UpstreamStreamHandle`). */
  reset(): void {
    this.wire.clientReset(this);
  }

  /**
   * @internal the exchange's events (`Simulation.scheduleCall`): the request reaches the server, or the
   * response reaches the client (or its loss is noticed).
   */
  handleEvent(kind: number): void {
    if (kind === REQUEST_ARRIVES) {
      if (!this.done) this.wire.arrive(this);
    } else this.wire.responseArrived(this);
  }
}

/** The client's end of one connection. */
export class ClientWire implements WireConnection {
  readonly from: NetworkEndpoint;
  readonly to: NetworkEndpoint;
  localAddress = '';
  /** The workload at the far end (set by the transport). */
  peer: { readonly key: string } | undefined;
  /** Called once when the connection is gone (closed, failed, or closed by the peer). */
  onTerminate: (() => void) | undefined;
  /** Hop-level trace hook (network time of each message), set only when the run keeps a trace. */
  trace: ((kind: string, detail: Readonly<Record<string, unknown>>) => void) | undefined;
  private server: ServerSide | undefined;
  private readonly sim: Simulation;
  private readonly network: Network;
  private readonly events: WireEvents;
  // Open streams: at most one on HTTP/1.1, so an array beats a set.
  private readonly streams: WireStream[] = [];
  private closed = false;
  private established = false;
  /** HTTP/2 streams reset alone; an HTTP/1.1 reset closes the connection. */
  private readonly multiplexed: boolean;
  // The hop classes of the two directions, fixed for the connection's life (classified once, not per message).
  private readonly forward: HopClass;
  private readonly backward: HopClass;

  constructor(
    sim: Simulation,
    network: Network,
    from: NetworkEndpoint,
    to: NetworkEndpoint,
    events: WireEvents,
    multiplexed: boolean,
  ) {
    this.sim = sim;
    this.network = network;
    this.from = from;
    this.to = to;
    this.events = events;
    this.multiplexed = multiplexed;
    this.forward = classifyHop(from, to);
    this.backward = classifyHop(to, from);
  }

  /** Runs the handshake of `plan`; `connectTimeout` bounds it (Envoy's connect timeout, or the kernel's). */
  start(plan: ConnectPlan, connectTimeout: Duration | undefined, localAddress: string): void {
    this.localAddress = localAddress;
    const net = this.network;
    if (plan.kind === 'fail' && plan.via === 'blackhole') {
      const after = connectTimeout ?? 127_000_000;
      this.sim.schedule(after, () => this.failConnect('timeout', ''));
      return;
    }
    if (plan.kind === 'fail' && plan.via === 'refuse') {
      const r = net.refuse(this.from, this.to);
      this.sim.schedule(r.after, () => this.failConnect(plan.failure, plan.transportFailureReason));
      return;
    }
    const c = net.connect(this.from, this.to, connectTimeout);
    if (c.kind !== 'established') {
      this.sim.schedule(c.after, () => this.failConnect('timeout', ''));
      return;
    }
    let after = c.after;
    const tls = plan.kind === 'fail' ? plan.via === 'tls' : plan.kind === 'accept' && plan.tlsRoundTrip;
    // A TLS 1.3 handshake costs one more round trip before the first request (RFC 8446 §2).
    if (tls) after += net.latency(net.hop(this.from, this.to)) + net.latency(net.hop(this.from, this.to));
    if (connectTimeout !== undefined && after >= connectTimeout && tls) {
      this.sim.schedule(connectTimeout, () => this.failConnect('timeout', ''));
      return;
    }
    this.sim.schedule(after, () => {
      if (this.closed) return;
      if (plan.kind === 'fail') return this.failConnect(plan.failure, plan.transportFailureReason);
      this.established = true;
      if (plan.kind === 'accept') this.server = plan.server;
      this.events.onConnected(this.localAddress);
      if (plan.kind === 'closeAfterAccept') {
        // The server's FIN reaches the client one trip later.
        this.sim.schedule(net.latency(net.hop(this.to, this.from)), () => this.remoteClose());
      }
    });
  }

  // No closure here (the rare outcomes schedule theirs in their own methods): V8 would allocate this
  // function's context on every call.
  sendRequest(request: UpstreamHttpRequest, callbacks: UpstreamStreamCallbacks): WireStream {
    const stream = new WireStream(this, callbacks, request);
    this.streams.push(stream);
    const net = this.network;
    if (this.closed || !this.established) {
      this.resetSoon(stream);
      return stream;
    }
    if (net.resetDuringExchange(this.from, this.to)) {
      // A middlebox drops the connection's state: the client sees a reset, the server nothing.
      this.remoteCloseAfter(net.latency(this.forward));
      return stream;
    }
    const after = net.transitDelay(this.from, this.to, this.forward);
    if (after < 0) {
      this.remoteCloseAfter(TRANSIT_TIMEOUT_AFTER);
      return stream;
    }
    const server = this.server as ServerSide;
    stream.arrival = this.sim.now + after;
    const delay = server.requestDelay();
    if (this.trace !== undefined) this.traceRequest(stream, after, delay);
    this.scheduleArrival(stream, after + delay);
    return stream;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.terminate();
    const server = this.server;
    for (const s of this.streams) s.done = true;
    this.streams.length = 0;
    if (server !== undefined && this.established) {
      this.sim.schedule(this.network.latency(this.network.hop(this.from, this.to)), () => server.onClose());
    }
  }

  /** The peer died: its kernel is gone, so the connection breaks (the client learns one trip later). */
  peerDied(): void {
    if (this.closed) return;
    if (!this.established) {
      this.failConnect('timeout', '');
      return;
    }
    this.sim.schedule(this.network.latency(this.network.hop(this.to, this.from)), () => this.remoteClose());
  }

  /** Whether the connection is closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal the request reaches the server. */
  arrive(stream: WireStream): void {
    if (this.closed) return;
    stream.phase = REQUEST_ARRIVED;
    (this.server as ServerSide).onRequest(stream, stream.request, stream.arrival);
  }

  /** @internal the server answered; the stream carries the response back. */
  deliverResponse(
    stream: WireStream,
    status: number,
    bodyBytes: number,
    headers: Readonly<Record<string, string>> | undefined,
    sentAt: SimTime,
  ): void {
    if (stream.done) return;
    if (stream.phase !== REQUEST_ARRIVED) {
      throw new InvariantError(`a wire stream was answered twice, or before its request arrived`);
    }
    const delay = this.network.transitDelay(this.to, this.from, this.backward);
    const timedOut = delay < 0;
    const after = timedOut ? TRANSIT_TIMEOUT_AFTER : delay;
    stream.status = status;
    stream.bodyBytes = bodyBytes;
    stream.headers = headers;
    stream.phase = timedOut ? RESPONSE_LOST : RESPONSE_IN_FLIGHT;
    if (this.trace !== undefined) this.traceResponse(stream, sentAt, after);
    this.scheduleResponse(stream, sentAt + after);
  }

  /** @internal the response's event: it reached the client, or its loss closes the connection. */
  responseArrived(stream: WireStream): void {
    if (stream.done || this.closed) return;
    if (stream.phase === RESPONSE_LOST) return this.remoteClose();
    this.finishStream(stream);
    stream.callbacks.onResponse(stream);
  }

  /** @internal the server resets a stream; HTTP/1.1 closes the connection with it. */
  deliverReset(stream: WireStream, reason: StreamResetReason, at?: SimTime): void {
    if (stream.done) return;
    const net = this.network;
    const when = (at ?? this.sim.now) + net.latency(net.hop(this.to, this.from));
    this.sim.at(when, () => {
      if (stream.done || this.closed) return;
      if (this.multiplexed) {
        this.resetStream(stream, reason === 'ConnectionTermination' ? 'RemoteReset' : reason);
        return;
      }
      this.remoteClose();
    });
  }

  /** @internal the client resets a stream: HTTP/1.1 closes the connection, HTTP/2 sends RST_STREAM. */
  clientReset(stream: WireStream): void {
    if (stream.done) return;
    this.finishStream(stream);
    const server = this.server;
    if (server !== undefined && stream.arrived && !this.closed) {
      this.sim.schedule(this.network.latency(this.network.hop(this.from, this.to)), () => server.onCancel(stream));
    }
    if (!this.multiplexed) this.close();
  }

  // A stream sent on a connection not (or no longer) established is reset right after.
  private resetSoon(stream: WireStream): void {
    this.sim.schedule(0, () => this.resetStream(stream, 'ConnectionTermination'));
  }

  // The stream is its messages' event target: no closure per message (two per exchange). `at` ≥ now.
  private scheduleArrival(stream: WireStream, after: Duration): void {
    this.sim.scheduleCall(after, stream, REQUEST_ARRIVES);
  }

  private scheduleResponse(stream: WireStream, at: SimTime): void {
    this.sim.scheduleCall(at - this.sim.now, stream, RESPONSE_ARRIVES);
  }

  private remoteCloseAfter(after: Duration): void {
    this.sim.schedule(after, () => this.remoteClose());
  }

  private traceRequest(stream: WireStream, networkUs: Duration, serverPassUs: Duration): void {
    const id = stream.request.headers['x-request-id'];
    stream.requestId = id;
    this.trace?.('net.request', {
      // Envoy's x-request-id (absent on the app's leg to its own sidecar, which assigns it).
      ...(id !== undefined ? { requestId: id } : {}),
      from: endpointName(this.from),
      to: endpointName(this.to),
      hop: this.forward,
      networkUs,
      serverPassUs,
    });
  }

  // The request id is the one the request was sent with: an app's own headers may since be its sidecar's.
  private traceResponse(stream: WireStream, sentAt: SimTime, networkUs: Duration): void {
    this.trace?.('net.response', {
      ...(stream.requestId !== undefined ? { requestId: stream.requestId } : {}),
      from: endpointName(this.to),
      to: endpointName(this.from),
      status: stream.status,
      sentAt,
      networkUs,
    });
  }

  private finishStream(stream: WireStream): void {
    stream.done = true;
    const list = this.streams;
    const i = list.indexOf(stream);
    if (i >= 0) {
      list[i] = list[list.length - 1] as WireStream;
      list.pop();
    }
  }

  private resetStream(stream: WireStream, reason: StreamResetReason): void {
    if (stream.done) return;
    this.finishStream(stream);
    stream.callbacks.onReset(reason, '');
  }

  private terminate(): void {
    const t = this.onTerminate;
    this.onTerminate = undefined;
    t?.();
  }

  // The peer (or the network) closed the connection: the pool learns first, then every open stream.
  private remoteClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.terminate();
    this.events.onRemoteClose();
    const open = this.streams.slice();
    this.streams.length = 0;
    for (const s of open) {
      if (s.done) continue;
      s.done = true;
      s.callbacks.onReset('ConnectionTermination', '');
    }
  }

  private failConnect(failure: ConnectFailure, tfr: string): void {
    if (this.closed) return;
    this.closed = true;
    this.terminate();
    this.events.onConnectFailed(failure, tfr);
  }
}

function endpointName(e: NetworkEndpoint): string {
  return e.kind === 'pod' ? e.pod : e.name;
}
