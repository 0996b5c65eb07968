/**
 * A sidecar's inbound side (istio/istio@1.29.3 `pilot/pkg/networking/core/listener_inbound.go`
 * `buildInboundChainConfigs`, `getFilterChainsByServicePort`; `plugin/authn/authentication.go`
 * `ForPort`, `ForPassthrough`, `needPerPortPassthroughFilterChain`; `cluster.go` `buildInboundClusters`,
 * `buildInboundClustersFromSidecar`): the ports to accept come from the Services that target the workload
 * (or the Sidecar's `ingress`), their mTLS mode from PeerAuthentication, and each gets an `inbound|<port>||`
 * cluster with the DestinationRule's / Sidecar's connection pool.
 */
import type { Cluster } from '../../envoy/config/cluster.js';
import type { Listener } from '../../envoy/config/listener.js';
import { inboundMtlsMode, peerAuthenticationFor } from '../model/security/peerAuthentication.js';
import type { MeshService } from '../model/registry/types.js';
import type { IstioIngressListener } from './api.js';
import { inboundCluster, inboundPassthroughCluster, type InboundClusterInput } from './cluster/specialClusters.js';
import { portLevelTrafficPolicy } from './cluster/trafficPolicyMerge.js';
import {
  buildVirtualInboundListener,
  chainConfigsFromIngress,
  chainConfigsFromTargets,
} from './listener/inboundListener.js';
import type { IstioConnectionPoolSettings } from './trafficPolicy/types.js';
import type { XdsContext } from './xdsContext.js';

function reservedPorts(ctx: XdsContext): Set<number> {
  const mesh = ctx.ps.model.meshConfig;
  return new Set([15021, 15090, mesh.proxyListenPort, mesh.proxyInboundListenPort]);
}

function ingressOf(ctx: XdsContext): readonly IstioIngressListener[] {
  return ctx.scope.spec?.ingress ?? [];
}

/** `virtualInbound` for the proxy. */
export function inboundListener(ctx: XdsContext): Listener {
  const model = ctx.ps.model;
  const ingress = ingressOf(ctx);
  const sidecar = ctx.scope.sidecar;
  const chains =
    ingress.length > 0 && sidecar !== undefined
      ? chainConfigsFromIngress(ingress, {
          kind: 'Sidecar',
          namespace: sidecar.metadata.namespace ?? ctx.proxy.namespace,
          name: sidecar.metadata.name,
          file: sidecar.source.file,
          line: sidecar.source.line,
        })
      : chainConfigsFromTargets(ctx.proxy.serviceTargets, reservedPorts(ctx));
  const pa = peerAuthenticationFor(model.istio, model.meshConfig, ctx.proxy.namespace, ctx.proxy.labels);
  const declared = new Set(
    ingress.length > 0 ? ingress.map((i) => i.port.number) : ctx.proxy.serviceTargets.map((t) => t.targetPort),
  );
  const perPort = Object.keys(pa.perPort)
    .map(Number)
    .filter((p) => !declared.has(p))
    .sort((a, b) => a - b)
    .map((port) => ({ port, mode: inboundMtlsMode(pa, port) }));
  return buildVirtualInboundListener({
    port: model.meshConfig.proxyInboundListenPort,
    chains,
    modeFor: (port) => inboundMtlsMode(pa, port),
    passthroughModes: [{ port: 0, mode: pa.mode }, ...perPort],
    tproxy: ctx.proxy.interceptionMode === 'TPROXY',
    protocolDetectionTimeout: model.meshConfig.protocolDetectionTimeout,
  });
}

/**
 * The traffic policy `buildInboundCluster` applies: the port-level policy (for the service port) of the
 * service's inbound DestinationRule, its connection pool replaced by the Sidecar's for the cluster port
 * (`InboundConnectionPoolForPort`: the ingress listener's, else `inboundConnectionPool`). A DestinationRule
 * with a traffic policy also names the cluster (`AddConfigInfoMetadata`: istioctl's DESTINATION RULE column).
 */
function inboundPolicy(
  ctx: XdsContext,
  service: MeshService | undefined,
  servicePort: number,
  sidecarPool: IstioConnectionPoolSettings | undefined,
): Pick<InboundClusterInput, 'connectionPool' | 'destinationRule'> {
  const dr = service === undefined ? undefined : ctx.inboundDestinationRule(service);
  const tp = dr?.spec.trafficPolicy;
  const pool =
    sidecarPool ?? (tp !== undefined ? portLevelTrafficPolicy(tp, servicePort).policy?.connectionPool : undefined);
  return {
    ...(pool !== undefined ? { connectionPool: pool } : {}),
    ...(dr !== undefined && tp !== undefined ? { destinationRule: { path: dr.path, from: dr.from } } : {}),
  };
}

/** `inbound|<port>||` clusters and `InboundPassthroughCluster`. */
export function inboundClusters(ctx: XdsContext): Cluster[] {
  const model = ctx.ps.model;
  const connectTimeout = model.meshConfig.connectTimeout;
  const out: Cluster[] = [];
  if (ctx.proxy.interceptionMode === 'NONE' && ingressOf(ctx).length === 0)
    return [inboundPassthroughCluster(connectTimeout)];
  const ingress = ingressOf(ctx);
  const sidecarPool = ctx.scope.spec?.inboundConnectionPool;
  if (ingress.length === 0) {
    const bind = model.meshConfig.inboundTrafficPolicy.mode === 'PASSTHROUGH' ? '' : '127.0.0.1';
    const byPort = new Map<number, (typeof ctx.proxy.serviceTargets)[number]>();
    for (const t of ctx.proxy.serviceTargets) if (!byPort.has(t.targetPort)) byPort.set(t.targetPort, t);
    for (const port of [...byPort.keys()].sort((a, b) => a - b)) {
      const t = byPort.get(port) as (typeof ctx.proxy.serviceTargets)[number];
      out.push(
        inboundCluster(
          {
            clusterPort: port,
            endpointPort: port,
            bind,
            hostname: t.service.hostname,
            serviceName: t.service.name,
            serviceNamespace: t.service.namespace,
            ...inboundPolicy(ctx, t.service, t.port.port, sidecarPool),
            source: {
              kind: t.service.kind,
              namespace: t.service.namespace,
              name: t.service.name,
              file: t.service.source.file,
              line: t.service.source.line,
            },
          },
          connectTimeout,
        ),
      );
    }
  } else {
    const sidecar = ctx.scope.sidecar;
    ingress.forEach((i, idx) => {
      const m = /^(.*):(\d+)$/.exec(i.defaultEndpoint ?? '');
      let address = '';
      let port = 0;
      if (m !== null) {
        port = Number(m[2]);
        const host = m[1] ?? '';
        address = host === '0.0.0.0' ? ctx.proxy.ip : host === '127.0.0.1' ? '127.0.0.1' : host;
      }
      // `findOrCreateService`: the service whose target port is the ingress port, else one named after the Sidecar.
      const target = ctx.proxy.serviceTargets.find((t) => t.targetPort === i.port.number);
      out.push(
        inboundCluster(
          {
            clusterPort: i.port.number,
            endpointPort: port,
            bind: address,
            hostname: target?.service.hostname ?? `${sidecar?.metadata.name ?? ''}.${ctx.proxy.namespace}`,
            serviceName: target?.service.name ?? sidecar?.metadata.name ?? '',
            serviceNamespace: target?.service.namespace ?? ctx.proxy.namespace,
            ...inboundPolicy(ctx, target?.service, i.port.number, i.connectionPool ?? sidecarPool),
            ...(sidecar !== undefined
              ? {
                  source: {
                    kind: 'Sidecar',
                    namespace: sidecar.metadata.namespace ?? ctx.proxy.namespace,
                    name: sidecar.metadata.name,
                    file: sidecar.source.file,
                    line: sidecar.source.lineOf(['spec', 'ingress', idx]),
                    field: `spec.ingress[${idx}]`,
                  },
                }
              : {}),
          },
          connectTimeout,
        ),
      );
    });
  }
  out.push(inboundPassthroughCluster(connectTimeout));
  return out;
}
