/**
 * The simulated world: every pod, VM and gateway of a mesh model as actors on one event loop — apps that
 * serve and call, sidecars and gateways running Envoy with the configuration istiod would push, netfilter
 * capture, kube-proxy, the network — driven by traffic generators and timed changes, with telemetry
 * gathered as it happens. `simulate()` wraps it for a whole run.
 */
import { Simulation, type RunSummary } from '../../engine/simulation.js';
import type { SimTime } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import type { DnsAnswer } from '../../k8s/dns/clusterDns.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { resolveName } from '../../istio/model/modelQueries.js';
import type { MeshProxy } from '../../istio/model/proxy.js';
import { buildProxyConfig } from '../../istio/xds/buildProxyConfig.js';
import type { ProxyConfig } from '../../envoy/config/proxyConfig.js';
import { AppReplica } from '../app/appReplica.js';
import { compileBehaviour } from '../app/compileApp.js';
import { Network } from '../network/network.js';
import { ProxyLatency } from '../network/proxyLatency.js';
import { ClosedLoopGenerator } from '../traffic/closedLoop.js';
import type { Generator, TrafficSink } from '../traffic/generator.js';
import { OpenLoopGenerator } from '../traffic/openLoop.js';
import { describeSource, type TrafficSource } from '../traffic/source.js';
import { KubeProxy } from '../kubeProxy/kubeProxy.js';
import type { ConnectSettings, WireEvents } from '../sidecar/connPool.js';
import { EnvoyProxy, type ProxyServices } from '../sidecar/envoyProxy.js';
import type { Host } from '../../envoy/upstream/host.js';
import type { ActiveStream } from '../../envoy/http/activeStream.js';
import { filterEndpoints } from './endpointOverlay.js';
import { HttpClient, type CallRecord, type ClientWorld } from './httpClient.js';
import type { Instance } from './instance.js';
import { instancesOf } from './instances.js';
import type { RunLimit, TrafficSpec, WorldOptions } from './options.js';
import { ShadowRouter } from './shadow.js';
import { externalInstance, gatewayTarget, parseTarget } from './outsideClients.js';
import { WorldTelemetry } from './telemetry.js';
import { Transport, type Origin } from './transport.js';
import { behaviourOf, checkTarget, type WorkloadSpec } from './workloads.js';

const ENVOY_UID = 1337;

/** A running simulated mesh. */
export class World implements ClientWorld {
  readonly sim: Simulation;
  readonly network: Network;
  readonly telemetry: WorldTelemetry;
  readonly transport: Transport;
  readonly kubeProxy: KubeProxy;
  readonly options: WorldOptions;
  private currentModel: MeshModel;
  private readonly instanceList: Instance[] = [];
  private readonly byKey = new Map<string, Instance>();
  private readonly byIp = new Map<string, Instance>();
  private readonly externals = new Map<string, Instance>();
  private readonly proxyOwner = new Map<EnvoyProxy, Instance>();
  private readonly clients = new Map<Instance, HttpClient>();
  private readonly outsideClients = new Map<string, HttpClient>();
  private readonly generators: Generator[] = [];
  private workloadSpecs: WorkloadSpec[];
  // The behaviour each app was built from (serialized), so a workload change rebuilds only changed apps.
  private readonly appBehaviour = new WeakMap<Instance, string>();
  private inFlight = 0;
  private started = false;
  // Callbacks waiting for an Envoy stream to end (calls their client abandoned: httpClient.ts `cancel`).
  private readonly streamWaiters = new Map<ActiveStream, () => void>();

  constructor(options: WorldOptions) {
    this.options = options;
    this.currentModel = options.model;
    this.sim = new Simulation({ seed: options.seed ?? 1, trace: options.trace ?? 'off' });
    this.network = new Network(this.sim, options.network ?? {});
    this.workloadSpecs = [...(options.workloads ?? [])];
    this.workloadSpecs.forEach((w, k) => checkTarget(w, `workloads[${k}]`));
    this.telemetry = new WorldTelemetry(
      { instanceByIp: (ip) => this.byIp.get(ip), instanceOfProxy: (p) => this.proxyOwner.get(p) },
      {
        ...(options.accessLog !== undefined ? { accessLog: options.accessLog } : {}),
        ...(options.accessLogClock !== undefined ? { accessLogClock: options.accessLogClock } : {}),
        ...(options.onOutcome !== undefined ? { onOutcome: options.onOutcome } : {}),
        ...(options.histogram !== undefined ? { histogram: options.histogram } : {}),
      },
    );
    this.transport = new Transport({
      sim: this.sim,
      network: this.network,
      instanceByIp: (ip) => this.byIp.get(ip),
      externalHost: (ip) => this.externalHost(ip),
      kubeProxy: (origin, ip, port) => this.kubeProxyDecision(origin, ip, port),
      ...(this.sim.trace !== null
        ? {
            trace: (kind: string, detail: Readonly<Record<string, unknown>>) =>
              this.sim.record(kind, JSON.stringify(detail)),
          }
        : {}),
    });
    this.kubeProxy = new KubeProxy(
      this.currentModel.cluster,
      this.sim.rng,
      (ip) =>
        this.byIp.get(ip)?.state !== 'dead' &&
        this.byIp.get(ip)?.state !== 'starting' &&
        this.byIp.get(ip)?.state !== 'unready',
    );
    this.buildInstances();
    for (const spec of options.traffic ?? []) this.addTraffic(spec);
  }

  /** The model in force (changes replace it). */
  get model(): MeshModel {
    return this.currentModel;
  }

  /** Every instance, in `namespace/name` order. */
  get instances(): readonly Instance[] {
    return this.instanceList;
  }

  /** The instance `namespace/name`. */
  instance(key: string): Instance | undefined {
    return this.byKey.get(key);
  }

  /** The instance at `ip`. */
  instanceByIp(ip: string): Instance | undefined {
    return this.byIp.get(ip);
  }

  /** Every Envoy (sidecars, gateways), by instance order. */
  get proxies(): EnvoyProxy[] {
    const out: EnvoyProxy[] = [];
    for (const i of this.instanceList) if (i.proxy !== undefined) out.push(i.proxy);
    return out;
  }

  /** The traffic generators. */
  get trafficGenerators(): readonly Generator[] {
    return this.generators;
  }

  /** Calls started and not yet ended. */
  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Starts the traffic generators (once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const g of this.generators) g.start();
  }

  /**
   * Runs until `limit.until`, or — without one — until every generator has finished and every call has
   * ended: it stops right after the event that ends the last call, so periodic timers (outlier-detection
   * ticks, health checks), which re-arm for ever, neither keep the run going nor fire after its end, and
   * timed changes due later never happen. `maxEvents` pauses the run after that many events (reason
   * `maxEvents`; call `run` again to go on).
   */
  run(limit: RunLimit & { readonly maxEvents?: number } = {}): RunSummary {
    this.start();
    const sim = this.sim;
    const budget = limit.maxEvents ?? Infinity;
    if (limit.until !== undefined) return sim.run({ until: limit.until, maxEvents: budget });
    let events = 0;
    // Quiescence is checked after every event (not after a batch), so the clock stops where traffic ended.
    while (!this.quiescent()) {
      if (events >= budget) return { reason: 'maxEvents', events, now: sim.now };
      if (!sim.step()) break;
      events++;
    }
    return { reason: 'empty', events, now: sim.now };
  }

  /** Whether traffic is over: every generator finished and no call in flight. */
  quiescent(): boolean {
    if (this.inFlight > 0) return false;
    for (const g of this.generators) if (!g.finished) return false;
    return this.started;
  }

  // --- ClientWorld ---

  now(): SimTime {
    return this.sim.now;
  }

  schedule(delay: number, fn: () => void): { cancel(): void } {
    return this.sim.schedule(delay, fn);
  }

  resolve(source: Instance, host: string): DnsAnswer {
    const proxy = source.meshProxy;
    return resolveName(this.currentModel, host, {
      namespace: source.namespace,
      ...(proxy !== undefined && proxy.dnsCapture ? { proxy } : {}),
    });
  }

  record(call: CallRecord): void {
    this.inFlight--;
    this.telemetry.onCall(call);
  }

  /** A call started (`HttpClient.send`). */
  callStarted(): void {
    this.inFlight++;
  }

  /** Runs `fn` once `stream` (an Envoy stream still in progress) has ended and been logged. */
  whenStreamEnds(stream: ActiveStream, fn: () => void): void {
    this.streamWaiters.set(stream, fn);
  }

  // An Envoy stream ended (after its access log line and metrics): run what waited for it.
  private streamEnded(stream: ActiveStream): void {
    const fn = this.streamWaiters.get(stream);
    if (fn === undefined) return;
    this.streamWaiters.delete(stream);
    fn();
  }

  // --- building ---

  private buildInstances(): void {
    for (const i of instancesOf(this.currentModel)) {
      this.addInstance(i);
    }
    this.instanceList.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const i of this.instanceList) this.startInstance(i);
  }

  /**
   * Replaces the model (after `apply`, `delete` or `scale`): instances of new pods are created (their
   * proxies configured from the new model), instances whose pods are gone are returned for termination.
   * Resolvers forget cached answers. Existing proxies keep their configuration until their push.
   */
  setModel(model: MeshModel): { added: Instance[]; removed: Instance[] } {
    this.currentModel = model;
    const next = instancesOf(model);
    const keys = new Set(next.map((i) => i.key));
    const added: Instance[] = [];
    for (const i of next) {
      if (this.byKey.has(i.key)) continue;
      this.addInstance(i);
      added.push(i);
    }
    this.instanceList.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const i of added) this.startInstance(i);
    const removed = this.instanceList.filter((i) => !keys.has(i.key) && i.state !== 'dead');
    for (const c of this.clients.values()) c.flushDns();
    return { added, removed };
  }

  /** A killed pod's replacement: a fresh Envoy (new stats, pools and state) and a fresh app. */
  restartInstance(i: Instance): void {
    if (i.proxy !== undefined) {
      this.proxyOwner.delete(i.proxy);
      i.proxy = undefined;
    }
    this.startInstance(i);
  }

  private addInstance(i: Instance): void {
    this.instanceList.push(i);
    this.byKey.set(i.key, i);
    this.byIp.set(i.ip, i);
  }

  /** Creates the instance's proxy (with the configuration istiod would push) and its app. */
  startInstance(i: Instance): void {
    if (i.meshProxy !== undefined) {
      const proxy = new EnvoyProxy(i.meshProxy, this.proxyConfigFor(i.meshProxy), this.proxyServices(i));
      i.proxy = proxy;
      this.proxyOwner.set(proxy, i);
    }
    if (!i.isGateway) this.refreshApp(i);
  }

  /**
   * (Re)creates an instance's app from the workload entries in force — unless `onlyIfChanged` and its
   * behaviour is the same (an app that keeps its behaviour keeps its queue and its requests in progress).
   */
  refreshApp(i: Instance, onlyIfChanged = false): void {
    const behaviour = behaviourOf(i, this.workloadSpecs, this.instanceList);
    const key = JSON.stringify(behaviour);
    if (onlyIfChanged && i.app !== undefined && this.appBehaviour.get(i) === key) return;
    this.appBehaviour.set(i, key);
    i.app = new AppReplica({
      sim: this.sim,
      namespace: i.namespace,
      pod: i.name,
      behaviour: compileBehaviour(behaviour, { field: `workloads (${i.key})` }),
      outbound: this.clientOf(i),
    });
  }

  /** Replaces the workload entries (a `setWorkload` change) and refreshes every app. */
  setWorkloads(specs: readonly WorkloadSpec[]): void {
    this.workloadSpecs = [...specs];
    for (const i of this.instanceList)
      if (!i.isGateway && i.kind !== 'external' && i.app !== undefined) this.refreshApp(i, true);
  }

  /** The workload entries in force. */
  get workloads(): readonly WorkloadSpec[] {
    return this.workloadSpecs;
  }

  /** The configuration istiod pushes to `proxy` now, without the endpoints the world knows are not ready. */
  proxyConfigFor(proxy: MeshProxy): ProxyConfig {
    return filterEndpoints(
      buildProxyConfig(this.currentModel, proxy),
      this.currentModel,
      (ip) => this.byIp.get(ip)?.state,
    );
  }

  private proxyServices(i: Instance): ProxyServices {
    const sim = this.sim;
    const trace = sim.trace;
    const compat = this.options.compatibility ?? {};
    const name = `${i.namespace}/${i.name}`;
    return {
      sim,
      connector: {
        connect: (host: Host, settings: ConnectSettings, events: WireEvents) =>
          this.connectFromProxy(i, host, settings, events),
      },
      latency: new ProxyLatency(sim, name, this.options.proxyLatency ?? {}),
      onStreamComplete: (proxy, stream) => {
        this.telemetry.onStreamComplete(proxy, stream);
        if (this.streamWaiters.size !== 0) this.streamEnded(stream);
      },
      trace:
        trace === null
          ? undefined
          : (proxy, kind, detail) => sim.record(kind, JSON.stringify({ proxy: proxy.name, ...detail })),
      shadow: (proxy) => new ShadowRouter(proxy),
      ...(compat.outlierEjectionRule !== undefined ? { maxEjectionPercentRule: compat.outlierEjectionRule } : {}),
      ...(compat.retryBackOff !== undefined ? { retryBackoff: compat.retryBackOff } : {}),
    };
  }

  private connectFromProxy(i: Instance, host: Host, s: ConnectSettings, events: WireEvents) {
    const origin: Origin = {
      endpoint: i.endpoint,
      ip: s.bindAddress !== undefined && s.bindAddress !== '' && s.bindAddress !== '0.0.0.0' ? s.bindAddress : i.ip,
      instance: i,
      uid: ENVOY_UID,
      proxy: i.proxy,
    };
    const alpn =
      s.tls === 'mtls'
        ? [s.protocol === 'HTTP/2' ? 'istio-h2' : 'istio-http/1.1']
        : s.tls === 'tls'
          ? [s.protocol === 'HTTP/2' ? 'h2' : 'http/1.1']
          : [];
    return this.transport.open(
      origin,
      host.address,
      host.port,
      {
        transport: s.tls,
        protocol: s.protocol,
        ...(s.sni !== undefined ? { sni: s.sni } : {}),
        alpn,
        connectTimeout: s.connectTimeout,
      },
      events,
    );
  }

  /** The app container's HTTP client (its calls go through the pod's own netfilter and sidecar). */
  clientOf(i: Instance): HttpClient {
    let c = this.clients.get(i);
    if (c === undefined) {
      c = new HttpClient(
        this,
        { endpoint: i.endpoint, ip: i.ip, instance: i, uid: i.appUid, proxy: undefined },
        i.description,
      );
      this.clients.set(i, c);
    }
    return c;
  }

  private externalHost(ip: string): Instance {
    let e = this.externals.get(ip);
    if (e === undefined) {
      e = externalInstance(ip);
      this.externals.set(ip, e);
    }
    return e;
  }

  private kubeProxyDecision(origin: Origin, ip: string, port: number) {
    if (!this.kubeProxy.isClusterIp(ip)) return undefined;
    const node = origin.endpoint.kind === 'pod' ? origin.endpoint.node : undefined;
    if (node === undefined) return undefined;
    return this.kubeProxy.decide(node, origin.ip, 40000, ip, port);
  }

  // --- traffic ---

  /** Adds a traffic generator (before or during the run). */
  addTraffic(spec: TrafficSpec): Generator {
    const sink = this.sinkFor(spec.source, `traffic ${spec.name}`);
    const g =
      'connections' in spec
        ? new ClosedLoopGenerator(this.sim, spec, sink)
        : new OpenLoopGenerator(this.sim, spec, sink);
    this.generators.push(g);
    if (this.started) g.start();
    return g;
  }

  private sinkFor(source: TrafficSource, field: string): TrafficSink {
    const client = this.clientForSource(source, field);
    return {
      send: (req, done) => {
        client.send(
          {
            method: req.method,
            authority: req.authority,
            path: req.path,
            headers: req.headers,
            bodyBytes: req.bodyBytes,
            callName: req.generator,
            scheme: req.scheme,
          },
          (result) => done({ status: result.kind === 'response' ? result.status : 0 }),
          req.connection !== undefined
            ? { generator: req.generator, connection: req.connection }
            : { generator: req.generator },
        );
      },
    };
  }

  private clientForSource(source: TrafficSource, field: string): HttpClient {
    if (source.kind === 'pod' || source.kind === 'vm') {
      const name = source.kind === 'pod' ? source.pod : source.name;
      const i = this.byKey.get(`${source.namespace}/${name}`);
      if (i === undefined) {
        throw new ConfigError(`${describeSource(source)} is not in the model`, { field: `${field}.source` }, 'world');
      }
      return this.clientOf(i);
    }
    const ns = source.kind === 'gateway' ? source.namespace : 'istio-system';
    const name = source.kind === 'gateway' ? source.name : 'istio-ingressgateway';
    const clientName = source.kind === 'external' ? source.name : 'client';
    const key = `${source.kind}/${clientName}/${source.kind === 'external' ? (source.address ?? '') : `${ns}/${name}`}`;
    let c = this.outsideClients.get(key);
    if (c === undefined) {
      const target =
        source.kind === 'external' && source.address !== undefined
          ? parseTarget(source.address)
          : gatewayTarget(this.currentModel, this.instanceList, ns, name, field);
      const ip = this.options.externalClientAddress ?? '203.0.113.10';
      c = new HttpClient(
        this,
        {
          endpoint: { kind: 'external', name: clientName, node: clientName },
          ip,
          instance: undefined,
          uid: 0,
          proxy: undefined,
        },
        `external ${clientName}`,
        target,
      );
      this.outsideClients.set(key, c);
    }
    return c;
  }
}

export type { TrafficSpec };
