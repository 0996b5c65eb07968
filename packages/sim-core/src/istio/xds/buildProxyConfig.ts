/**
 * `buildProxyConfig(model, proxy)`: the listeners, route configurations, clusters and endpoints istiod
 * 1.29 pushes to one sidecar or gateway (istio/istio@1.29.3 `pilot/pkg/networking/core/configgen.go`
 * `BuildListeners`, `BuildHTTPRoutes`, `BuildClusters`, and the EDS generator). Routes are the ones the
 * listeners ask for by RDS name; endpoints are the load assignments of the EDS clusters. Pure: the same
 * model and proxy give a deep-equal result.
 */
import type { Cluster } from '../../envoy/config/cluster.js';
import type { ClusterLoadAssignment } from '../../envoy/config/endpoint.js';
import type { HttpConnectionManager, Listener } from '../../envoy/config/listener.js';
import { proxyConfigSize, type ProxyConfig } from '../../envoy/config/proxyConfig.js';
import type { RouteConfiguration } from '../../envoy/config/route.js';
import { ConfigError } from '../../errors.js';
import type { MeshModel } from '../model/meshModel.js';
import { findProxy } from '../model/modelQueries.js';
import type { MeshProxy } from '../model/proxy.js';
import type { MeshService } from '../model/registry/types.js';
import { buildBootstrap } from './bootstrap.js';
import { applyLocalityLoadBalancer, localityLbEndpoints } from './cluster/endpoints.js';
import { buildServicePortClusters } from './cluster/outboundClusters.js';
import { blackHoleCluster, passthroughCluster } from './cluster/specialClusters.js';
import { buildGatewayListeners } from './gateway/gatewayListeners.js';
import { buildGatewayRouteConfig } from './gateway/gatewayRoutes.js';
import { mergeGateways } from './gateway/mergeGateways.js';
import { buildVirtualOutboundListener } from './listener/buildListener.js';
import { buildSidecarOutboundListeners } from './listener/outboundListeners.js';
import { parseSubsetKey } from './names.js';
import { buildSidecarOutboundRouteConfig, sniffedServiceRouteConfig } from './route/sidecarRoutes.js';
import { inboundClusters, inboundListener } from './sidecarInbound.js';
import { mergeSubsetTrafficPolicy, portLevelTrafficPolicy } from './cluster/trafficPolicyMerge.js';
import { xdsContext, type XdsContext } from './xdsContext.js';

/** The proxy a configuration is for: a model proxy, or `POD[.NS]` / `<pod>.<namespace>`. */
export type ProxyRef = MeshProxy | string;

function resolveProxy(model: MeshModel, ref: ProxyRef): MeshProxy {
  if (typeof ref !== 'string') return ref;
  const p = findProxy(model, ref);
  if (p === undefined) {
    const known = model.proxies.map((x) => x.id).join(', ');
    throw new ConfigError(
      `no proxy ${JSON.stringify(ref)}: no pod or VM of that name has an istio-proxy (proxies: ${known === '' ? 'none' : known})`,
      {},
    );
  }
  return p;
}

/** The RDS names the listeners refer to, in order. */
export function rdsNames(listeners: readonly Listener[]): string[] {
  const out: string[] = [];
  for (const l of listeners) {
    for (const fc of [...l.filterChains, ...(l.defaultFilterChain !== undefined ? [l.defaultFilterChain] : [])]) {
      for (const f of fc.filters) {
        const name = (f.typedConfig as Partial<HttpConnectionManager> | undefined)?.rds?.routeConfigName;
        if (name !== undefined && !out.includes(name)) out.push(name);
      }
    }
  }
  return out;
}

/** Builds the xDS configuration istiod sends to `proxy`. */
export function buildProxyConfig(model: MeshModel, ref: ProxyRef): ProxyConfig {
  const ctx = xdsContext(model, resolveProxy(model, ref));
  const { proxy } = ctx;
  let listeners: Listener[];
  let routes: RouteConfiguration[];
  const clusters: Cluster[] = [];
  if (proxy.type === 'router') {
    const merged = mergeGateways(model.istio.gateways, proxy);
    listeners =
      merged === undefined
        ? []
        : buildGatewayListeners({ ps: ctx.ps, namespace: proxy.namespace, merged, tcp: ctx.tcp });
    routes =
      merged === undefined
        ? []
        : rdsNames(listeners).map((n) =>
            buildGatewayRouteConfig(
              {
                ps: ctx.ps,
                proxy,
                scope: ctx.scope,
                merged,
                hashFor: ctx.hashFor,
                ...(ctx.meshDefaultRetry !== undefined ? { meshDefaultRetry: ctx.meshDefaultRetry } : {}),
              },
              n,
            ),
          );
    clusters.push(...outboundClusters(ctx), blackHoleCluster(model.meshConfig.connectTimeout));
  } else {
    const outbound = buildSidecarOutboundListeners(ctx);
    const capture = proxy.interceptionMode !== 'NONE';
    listeners = [
      ...outbound,
      ...(capture
        ? [
            buildVirtualOutboundListener(
              model.meshConfig.proxyListenPort,
              ctx.scope.outboundTrafficPolicy,
              proxy.interceptionMode === 'TPROXY',
              ctx.scope.outboundTrafficPolicySource,
            ),
          ]
        : []),
      ...(capture ? [inboundListener(ctx)] : []),
    ];
    const routeCtx = {
      proxy,
      scope: ctx.scope,
      hashFor: ctx.hashFor,
      serviceHashFor: ctx.serviceHashFor,
      ...(ctx.meshDefaultRetry !== undefined ? { meshDefaultRetry: ctx.meshDefaultRetry } : {}),
    };
    routes = rdsNames(listeners).map((n) =>
      /^\d+$/.test(n) ? buildSidecarOutboundRouteConfig(routeCtx, n) : sniffedServiceRouteConfig(routeCtx, n),
    );
    const connectTimeout = model.meshConfig.connectTimeout;
    clusters.push(
      ...outboundClusters(ctx),
      blackHoleCluster(connectTimeout),
      passthroughCluster(connectTimeout),
      ...inboundClusters(ctx),
    );
  }
  const endpoints = edsLoadAssignments(ctx, clusters);
  const body = { listeners, routes, clusters, endpoints };
  return {
    node: {
      id: proxy.id,
      name: `${proxy.name}.${proxy.namespace}`,
      namespace: proxy.namespace,
      type: proxy.type,
      ip: proxy.ip,
    },
    ...body,
    bootstrap: buildBootstrap(proxy.source, { nodeId: proxy.id }),
    size: proxyConfigSize(body),
  };
}

/** The outbound clusters of every service the proxy sees. */
function outboundClusters(ctx: XdsContext): Cluster[] {
  const out: Cluster[] = [];
  for (const s of ctx.scope.services) for (const p of s.ports) out.push(...buildServicePortClusters(ctx.cluster, s, p));
  return out;
}

/** EDS: a load assignment for every EDS cluster (the generator istiod runs on the clusters' names). */
function edsLoadAssignments(ctx: XdsContext, clusters: readonly Cluster[]): ClusterLoadAssignment[] {
  const out: ClusterLoadAssignment[] = [];
  for (const c of clusters) {
    if (c.type !== 'EDS') continue;
    const key = parseSubsetKey(c.name);
    if (key === undefined) continue;
    const service = findService(ctx, key.hostname);
    const svcPort = service?.ports.find((p) => p.port === key.port);
    if (service === undefined || svcPort === undefined) {
      out.push({ clusterName: c.name, endpoints: [] });
      continue;
    }
    const dr = ctx.destinationRule(service)?.spec;
    const subset = key.subset === '' ? undefined : dr?.subsets?.find((s) => s.name === key.subset);
    const policy =
      subset !== undefined
        ? mergeSubsetTrafficPolicy(dr?.trafficPolicy, subset.trafficPolicy, key.port)
        : portLevelTrafficPolicy(dr?.trafficPolicy, key.port).policy;
    const mtls = c.transportSocketMatches !== undefined;
    // Endpoints of the first service port with that number (`servicePort(port)`), by port name: a UDP and a
    // TCP port both numbered 53 give one cluster whose endpoints come from the first one only.
    const eps0 = ctx.ps
      .endpointsByPort(service, key.port, subset?.labels)
      .filter((e) => e.servicePortName === svcPort.name);
    let eps = localityLbEndpoints(eps0, service, mtls);
    const setting = policy?.loadBalancer?.localityLbSetting ?? ctx.cluster.mesh.localityLbSetting;
    if (setting !== undefined && setting.enabled !== false)
      eps = applyLocalityLoadBalancer(
        eps,
        ctx.proxy.locality,
        setting,
        policy?.outlierDetection !== undefined,
        ctx.proxy.labels,
      );
    out.push({ clusterName: c.name, endpoints: eps });
  }
  return out;
}

function findService(ctx: XdsContext, hostname: string): MeshService | undefined {
  return ctx.scope.servicesByHostname.get(hostname);
}
