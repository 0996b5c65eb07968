/**
 * A workload instance in the world: a pod (with its node, address, labels, app container and, when
 * injected, its sidecar and capture rules), a VM running istio-agent, a gateway pod, or an address outside
 * the mesh that answers requests. Instances are the world's actors: they serve requests with their app
 * model, send their app's calls through their own sidecar, and can die, become unready and come back.
 */
import type { Labels } from '../../k8s/labels.js';
import type { MeshProxy } from '../../istio/model/proxy.js';
import type { WorkloadMetadata } from '../../envoy/observability/istioLabels.js';
import type { AppReplica } from '../app/appReplica.js';
import type { NetworkEndpoint } from '../network/hop.js';
import type { EnvoyProxy } from '../sidecar/envoyProxy.js';
import type { PodCapture } from './podCapture.js';

/** Where an instance is in its life. */
export type InstanceState =
  /** Serving, and (from the endpoint controller's view) ready. */
  | 'ready'
  /** Running but failing its readiness probe: it still answers, but leaves the endpoints. */
  | 'unready'
  /** Started, not yet ready. */
  | 'starting'
  /**
   * Not running: connections on it break; new ones are refused while its network namespace is alive
   * (`crashed`, waiting for its restart) and black-holed once it is deleted.
   */
  | 'dead';

/** A workload instance. */
export class Instance {
  readonly kind: 'pod' | 'vm' | 'external';
  /** `namespace/name` (pods and VMs) or the address (external). */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
  readonly labels: Labels;
  /** Istio's workload name (Deployment, StatefulSet, WorkloadEntry…). */
  readonly workload: string;
  readonly endpoint: NetworkEndpoint;
  /** 0-based index among the instances of its workload, by name (`replica` in workload targets). */
  readonly index: number;
  readonly meshProxy: MeshProxy | undefined;
  /** The app container's uid (istio-iptables never captures 1337). */
  readonly appUid: number;
  readonly capture: PodCapture | undefined;
  /** Istio metadata-exchange view of this workload (undefined without a proxy: unknown to peers). */
  readonly metadata: WorkloadMetadata;
  /** The sidecar or gateway Envoy, when the instance has one. */
  proxy: EnvoyProxy | undefined;
  /** The application (undefined for gateways and external hosts without a model). */
  app: AppReplica | undefined;
  state: InstanceState = 'ready';
  /**
   * Dead by a crash (its containers killed) rather than deleted: the pod's network namespace and address stay,
   * so the kernel answers a SYN to a port nobody listens on with a RST.
   */
  crashed = false;
  /** Open connections to this instance (they break when it dies). */
  readonly connections = new Set<{ peerDied(): void }>();

  constructor(init: {
    kind: 'pod' | 'vm' | 'external';
    key: string;
    namespace: string;
    name: string;
    ip: string;
    labels: Labels;
    workload: string;
    endpoint: NetworkEndpoint;
    index: number;
    meshProxy?: MeshProxy;
    appUid?: number;
    capture?: PodCapture;
  }) {
    this.kind = init.kind;
    this.key = init.key;
    this.namespace = init.namespace;
    this.name = init.name;
    this.ip = init.ip;
    this.labels = init.labels;
    this.workload = init.workload;
    this.endpoint = init.endpoint;
    this.index = init.index;
    this.meshProxy = init.meshProxy;
    this.appUid = init.appUid ?? 0;
    this.capture = init.capture;
    this.proxy = undefined;
    this.app = undefined;
    this.metadata = { workload: init.workload, namespace: init.namespace, labels: init.labels };
  }

  /** Whether requests reach its sidecar (it has one, and it is not a gateway). */
  get hasSidecar(): boolean {
    return this.proxy !== undefined && this.meshProxy?.type === 'sidecar';
  }

  /** Whether it is a gateway pod (an Envoy in router mode). */
  get isGateway(): boolean {
    return this.meshProxy?.type === 'router';
  }

  /** A label for outcomes and traces: `pod default/reviews-v1-0`, `vm ns/vm-1`, `external 1.2.3.4`. */
  get description(): string {
    return `${this.kind} ${this.key}`;
  }
}
