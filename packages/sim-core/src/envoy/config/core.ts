/**
 * The typed subset of `envoy.config.core.v3` shared by listeners, routes, clusters and endpoints
 * (addresses, metadata, header options, transport sockets), in proto3 JSON spelling, plus meshsim's
 * provenance record: which Istio or Kubernetes resource produced an Envoy object, so `proxy-config` and
 * `route` can explain "why".
 */

/** `envoy.config.core.v3.SocketAddress`. */
export interface SocketAddress {
  readonly address: string;
  readonly portValue?: number;
  /** @defaultValue `'TCP'` */
  readonly protocol?: 'TCP' | 'UDP';
}

/** `envoy.config.core.v3.Address`: a socket address, or a Unix domain socket (`pipe`). */
export interface Address {
  readonly socketAddress?: SocketAddress;
  /** Unix domain socket, e.g. the bootstrap's `xds-grpc` cluster (`./etc/istio/proxy/XDS`). */
  readonly pipe?: { readonly path: string };
}

/** `envoy.config.core.v3.HeaderValueOption`. @defaultValue appendAction `'APPEND_IF_EXISTS_OR_ADD'` */
export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly appendAction?:
    'APPEND_IF_EXISTS_OR_ADD' | 'ADD_IF_ABSENT' | 'OVERWRITE_IF_EXISTS_OR_ADD' | 'OVERWRITE_IF_EXISTS';
}

/** `envoy.config.core.v3.Locality`. */
export interface Locality {
  readonly region?: string;
  readonly zone?: string;
  readonly subZone?: string;
}

/** `envoy.config.core.v3.TransportSocket` with its typed config (`UpstreamTlsContext`, `DownstreamTlsContext`). */
export interface TransportSocket {
  readonly name: string;
  readonly typedConfig?: unknown;
}

/**
 * Where a generated Envoy object comes from: an Istio or Kubernetes resource, and the field inside it.
 * meshsim's own record (Envoy carries only istiod's `istio.config` path, see {@link istioConfigPath}).
 */
export interface Provenance {
  /** `VirtualService`, `DestinationRule`, `Gateway`, `Sidecar`, `Service`, `ServiceEntry`, `MeshConfig`, … */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The manifest file and line of `field` (or of the object). */
  readonly file?: string;
  readonly line?: number;
  /** Field path in the API's words: `spec.http[1]`, `spec.trafficPolicy.connectionPool`. */
  readonly field?: string;
  /** For routes: the index of the http route in `spec.http` (of the delegate when delegated). */
  readonly httpRouteIndex?: number;
  /** For routes: `spec.http[i].name`. */
  readonly httpRouteName?: string;
  /** For routes: the index of the match block in `spec.http[i].match` the route was translated from. */
  readonly httpMatchIndex?: number;
}

/** The `filterMetadata.meshsim` entry meshsim adds to generated objects. */
export interface MeshsimMetadata {
  /** The resources that produced the object, most decisive first. */
  readonly sources?: readonly Provenance[];
  /** For endpoints: the workload's labels (with Istio's topology labels), which subsets select on. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * `envoy.config.core.v3.Metadata`. istiod writes `filterMetadata.istio.config` =
 * `/apis/networking.istio.io/v1/namespaces/<ns>/<kind>/<name>` on routes, clusters and filter chains it
 * derives from a resource (`util.BuildConfigInfoMetadata`); meshsim adds `filterMetadata.meshsim`.
 */
export interface Metadata {
  readonly filterMetadata?: {
    readonly istio?: Readonly<Record<string, unknown>>;
    readonly meshsim?: MeshsimMetadata;
    readonly [namespace: string]: Readonly<Record<string, unknown>> | MeshsimMetadata | undefined;
  };
}

/**
 * istiod's `config.Meta.ToStruct` path for a resource: `/apis/<group>/<version>/namespaces/<ns>/<kind>/<name>`,
 * with the kind as `kubectl` spells the resource (`virtual-service`, `destination-rule`), which istioctl's
 * `renderConfig` turns back into `<name>.<namespace>` (pilot/pkg/networking/util/util.go `BuildConfigInfoMetadata`).
 */
export function istioConfigPath(kind: string, namespace: string, name: string): string {
  return `/apis/networking.istio.io/v1/namespaces/${namespace}/${kebabKind(kind)}/${name}`;
}

function kebabKind(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The meshsim provenance recorded on an object's metadata, or an empty list. */
export function provenanceOf(metadata: Metadata | undefined): readonly Provenance[] {
  return metadata?.filterMetadata?.meshsim?.sources ?? [];
}
