/**
 * Everything the translation of one proxy shares: the push context, the proxy, its SidecarScope, and the
 * lookups istiod's generators make through them — the DestinationRule a proxy applies to a host
 * (`SidecarScope.DestinationRule`), the consistent hash of a destination (`HashForHTTPDestination`), the
 * service a host means (`ServiceForHostname`) — memoized per proxy.
 */
import { istioConfigPath, type Provenance } from '../../envoy/config/core.js';
import type { MeshProxy } from '../model/proxy.js';
import type { MeshService } from '../model/registry/types.js';
import { namespaceMtlsMode } from '../model/security/peerAuthentication.js';
import { destinationRuleFor } from '../model/traffic/destinationRules.js';
import type { Destination, DestinationRule, LocalityLbSetting } from './api.js';
import type { ClusterContext } from './cluster/outboundClusters.js';
import { proxyNode, type ProxyNode } from './proxyNode.js';
import { pushContextOf, type PushContext } from './pushContext.js';
import type { TcpChainContext } from './listener/tcpChains.js';
import { buildSidecarScope, type SidecarScope } from './sidecarScope.js';
import type { IstioConsistentHash, IstioHTTPRetry } from './trafficPolicy/types.js';
import type { MeshModel } from '../model/meshModel.js';

/** A DestinationRule as a proxy applies it. */
export interface AppliedDestinationRule {
  readonly spec: DestinationRule;
  /** The rules merged into it (oldest first). */
  readonly from: readonly Provenance[];
  /** istiod's `istio.config` path of the first rule. */
  readonly path: string;
}

/** The shared state of one proxy's translation. */
export interface XdsContext {
  readonly ps: PushContext;
  readonly proxy: ProxyNode;
  readonly scope: SidecarScope;
  readonly meshDefaultRetry?: IstioHTTPRetry;
  destinationRule(service: MeshService): AppliedDestinationRule | undefined;
  /**
   * The DestinationRule of a service the proxy serves, for its inbound clusters: `SidecarScope.DestinationRule`
   * with `TrafficDirectionInbound` honours no `workloadSelector` (pilot/pkg/model/sidecar.go), so only rules
   * without one apply.
   */
  inboundDestinationRule(service: MeshService): AppliedDestinationRule | undefined;
  /** `HashForHTTPDestination`. */
  hashFor(d: Destination): IstioConsistentHash | undefined;
  /** `hashForService`. */
  serviceHashFor(service: MeshService, port: number): IstioConsistentHash | undefined;
  readonly tcp: TcpChainContext;
  readonly cluster: ClusterContext;
}

/** Builds the context of `proxy` in `model`. */
export function xdsContext(model: MeshModel, meshProxy: MeshProxy): XdsContext {
  const ps = pushContextOf(model);
  const proxy = proxyNode(ps, meshProxy);
  const scope = buildSidecarScope(ps, proxy);
  const drCache = new Map<string, AppliedDestinationRule | undefined>();
  const withoutSelector = {
    destinationRules: model.istio.destinationRules.filter((dr) => dr.spec.workloadSelector === undefined),
  };
  const lookup = (s: MeshService, inbound: boolean): AppliedDestinationRule | undefined => {
    const key = `${inbound ? 'in' : 'out'}/${s.namespace}/${s.hostname}`;
    if (drCache.has(key)) return drCache.get(key);
    const merged = destinationRuleFor(
      inbound ? withoutSelector : model.istio,
      model.meshConfig,
      proxy.namespace,
      s.hostname,
      s.namespace,
      proxy.labels,
      ps.domain,
    );
    const out =
      merged === undefined
        ? undefined
        : {
            spec: merged.spec as unknown as DestinationRule,
            from: merged.from.map((o) => ({
              kind: 'DestinationRule',
              namespace: o.metadata.namespace ?? 'default',
              name: o.metadata.name,
              file: o.source.file,
              line: o.source.line,
            })),
            path: istioConfigPath(
              'DestinationRule',
              merged.from[0]?.metadata.namespace ?? 'default',
              merged.from[0]?.metadata.name ?? '',
            ),
          };
    drCache.set(key, out);
    return out;
  };
  const destinationRule = (s: MeshService): AppliedDestinationRule | undefined => lookup(s, false);
  const inboundDestinationRule = (s: MeshService): AppliedDestinationRule | undefined => lookup(s, true);
  const serviceFor = (host: string): MeshService | undefined => scope.servicesByHostname.get(host);
  const hashFor = (d: Destination): IstioConsistentHash | undefined => {
    const s = serviceFor(d.host);
    const dr = s === undefined ? undefined : destinationRule(s)?.spec;
    if (dr === undefined) return undefined;
    const plsHash = (pls: DestinationRule['trafficPolicy']): IstioConsistentHash | undefined =>
      d.port?.number === undefined
        ? undefined
        : pls?.portLevelSettings?.find((p) => p.port?.number === d.port?.number)?.loadBalancer?.consistentHash;
    const sub = dr.subsets?.find((x) => x.name === (d.subset ?? ''));
    return (
      plsHash(sub?.trafficPolicy) ??
      sub?.trafficPolicy?.loadBalancer?.consistentHash ??
      plsHash(dr.trafficPolicy) ??
      dr.trafficPolicy?.loadBalancer?.consistentHash
    );
  };
  const serviceHashFor = (s: MeshService, port: number): IstioConsistentHash | undefined => {
    const tp = destinationRule(s)?.spec.trafficPolicy;
    const pls = tp?.portLevelSettings?.find((p) => p.port?.number === port);
    return pls?.loadBalancer?.consistentHash ?? tp?.loadBalancer?.consistentHash;
  };
  const mesh = model.meshConfig;
  const localityRaw = mesh.localityLbSetting as LocalityLbSetting;
  const cluster: ClusterContext = {
    proxyType: proxy.type,
    locality: proxy.locality,
    proxyLabels: proxy.labels,
    mesh: {
      connectTimeout: mesh.connectTimeout,
      dnsRefreshRate: mesh.dnsRefreshRate,
      ...(mesh.h2UpgradePolicy !== undefined ? { h2UpgradePolicy: mesh.h2UpgradePolicy } : {}),
      localityLbSetting: localityRaw.enabled === false ? undefined : localityRaw,
    },
    destinationRule,
    endpoints: (s, port, labels) => ps.endpointsByPort(s, port, labels),
    tls: {
      enableAutoMtls: mesh.enableAutoMtls,
      namespaceMtlsMode: (ns) => namespaceMtlsMode(model.istio, mesh, ns),
      endpoints: (s, port) => ps.endpointsByPort(s, port),
    },
  };
  return {
    ps,
    proxy,
    scope,
    ...(mesh.defaultHttpRetryPolicy !== undefined
      ? { meshDefaultRetry: mesh.defaultHttpRetryPolicy as IstioHTTPRetry }
      : {}),
    destinationRule,
    inboundDestinationRule,
    hashFor,
    serviceHashFor,
    tcp: {
      proxy,
      serviceFor,
      destinationRuleFor: (h) => {
        const s = serviceFor(h);
        return s === undefined ? undefined : destinationRule(s)?.spec;
      },
    },
    cluster,
  };
}
