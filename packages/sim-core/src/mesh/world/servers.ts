/**
 * The server ends of connections: an Envoy listener (a sidecar's outbound 15001 or inbound 15006 side, or
 * a gateway's bound listener) whose HTTP connection manager runs each request after the proxy's request
 * pass, an application container, and a host outside the mesh that answers at once.
 */
import type { SimTime } from '../../engine/time.js';
import { ActiveStream, type DownstreamConnectionInfo, type DownstreamPeer } from '../../envoy/http/activeStream.js';
import type { ConnectionManager } from '../../envoy/http/connectionManager.js';
import type { UpstreamHttpRequest } from '../../envoy/router/routerContext.js';
import type { InboundHandle, InboundRequest } from '../app/ports.js';
import type { EnvoyProxy } from '../sidecar/envoyProxy.js';
import type { Instance } from './instance.js';
import type { ServerSide, WireStream } from './wire.js';

/** Which side of an Envoy a downstream connection is on. */
export type ProxyDirection = 'outbound' | 'inbound' | 'gateway';

/**
 * What the world keeps on each Envoy stream (`ActiveStream.context`): facts of its downstream connection,
 * so one object per connection serves every stream on it.
 */
export interface StreamContext {
  readonly direction: ProxyDirection;
  /** The instance on the downstream side (the app's own pod for outbound; the caller for inbound). */
  readonly downstream: Instance | undefined;
  /** Whether the downstream is an Envoy (metadata exchange gives its workload). */
  readonly downstreamIsEnvoy: boolean;
  /** SPIFFE id of the downstream's certificate under mTLS. */
  readonly peerPrincipal: string | undefined;
}

/**
 * A downstream connection into an Envoy's HTTP connection manager. It is also the {@link StreamContext} of
 * each of its streams: no context object per stream.
 */
export class EnvoyServerSide implements ServerSide, DownstreamPeer, StreamContext {
  // Streams in progress on this connection (one at a time on HTTP/1.1), and the wire stream each came on
  // at the same index.
  private readonly streams: ActiveStream[] = [];
  private readonly wires: WireStream[] = [];
  private closed = false;

  constructor(
    readonly proxy: EnvoyProxy,
    readonly manager: ConnectionManager,
    readonly connection: DownstreamConnectionInfo,
    readonly direction: ProxyDirection,
    readonly downstream: Instance | undefined,
    readonly downstreamIsEnvoy: boolean,
    readonly peerPrincipal: string | undefined,
    private readonly onClosed: () => void,
  ) {}

  requestDelay(): number {
    return this.proxy.requestPassTime();
  }

  onRequest(stream: WireStream, request: UpstreamHttpRequest, arrival: SimTime): void {
    if (this.closed) return;
    // A copy the stream may mutate; a spread clones a plain object about twice as fast as a for-in loop.
    const headers: Record<string, string> = { ...request.headers };
    const s = new ActiveStream(this.manager, this, this.connection, headers, request.bodyBytes, arrival);
    s.context = this;
    stream.context = s;
    this.streams.push(s);
    this.wires.push(stream);
    s.decodeHeaders();
  }

  sendResponse(
    stream: ActiveStream,
    status: number,
    bodyBytes: number,
    headers: Readonly<Record<string, string>>,
    sentAt: SimTime,
  ): void {
    const wire = this.remove(stream);
    wire?.respond(status, bodyBytes, headers, sentAt);
  }

  onCancel(stream: WireStream): void {
    const s = stream.context as ActiveStream | undefined;
    if (s === undefined) return;
    this.remove(s);
    s.onDownstreamReset();
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const open = this.streams.slice();
    this.streams.length = 0;
    this.wires.length = 0;
    for (const s of open) s.onDownstreamReset();
    this.onClosed();
  }

  // Forgets a stream; returns the wire stream it came on (undefined when it had already been forgotten).
  private remove(s: ActiveStream): WireStream | undefined {
    const list = this.streams;
    const i = list.indexOf(s);
    if (i < 0) return undefined;
    const wires = this.wires;
    const wire = wires[i];
    const last = list.length - 1;
    list[i] = list[last] as ActiveStream;
    wires[i] = wires[last] as WireStream;
    list.pop();
    wires.pop();
    return wire;
  }
}

/**
 * A request as the application container receives it. A class rather than an object literal: literals
 * carry V8 allocation sites, and a hot site V8 decides to pretenure makes every such request (and what it
 * references) survive young-generation collections.
 */
class AppRequest implements InboundRequest {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly authority: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly bodyBytes: number,
  ) {}
}

/** An application container serving the requests of a connection. */
export class AppServerSide implements ServerSide {
  constructor(
    readonly instance: Instance,
    private readonly now: () => SimTime,
  ) {}

  requestDelay(): number {
    return 0;
  }

  onRequest(stream: WireStream, request: UpstreamHttpRequest): void {
    const instance = this.instance;
    const app = instance.app;
    if (instance.state === 'dead') return;
    if (app === undefined) {
      stream.respond(200, 0, undefined, this.now());
      return;
    }
    const h = request.headers;
    const handle: InboundHandle = app.handle(
      new AppRequest(h[':method'] ?? 'GET', h[':path'] ?? '/', h[':authority'] ?? '', h, request.bodyBytes),
      (response) => {
        if (response.kind === 'reset') stream.serverReset('ConnectionTermination');
        else stream.respond(response.status, response.bodyBytes, undefined, this.now());
      },
    );
    stream.context = handle;
  }

  onCancel(stream: WireStream): void {
    (stream.context as InboundHandle | undefined)?.cancel();
  }

  onClose(): void {}
}

/** A host outside the modelled mesh: answers 200 with an empty body at once. */
export class ExternalServerSide implements ServerSide {
  constructor(private readonly now: () => SimTime) {}

  requestDelay(): number {
    return 0;
  }

  onRequest(stream: WireStream): void {
    stream.respond(200, 0, undefined, this.now());
  }

  onCancel(): void {}
  onClose(): void {}
}
