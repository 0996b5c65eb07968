/**
 * Questions other parts of meshsim ask of a {@link MeshModel}, answered the way istiod would: a pod's proxy,
 * the service a host means from a namespace, what a workload resolves a name to, the DestinationRule and TLS a
 * client uses, what an inbound port accepts.
 */
import { resolvePodRef } from '../../k8s/cluster/lookup.js';
import type { Pod } from '../../k8s/cluster/types.js';
import { resolveClusterDns, type DnsAnswer } from '../../k8s/dns/clusterDns.js';
import type { Labels } from '../../k8s/labels.js';
import { buildNameTable } from './dns/nameTable.js';
import { resolveWithDnsProxy } from './dns/dnsProxy.js';
import type { MeshModel } from './meshModel.js';
import type { MeshProxy } from './proxy.js';
import { findServiceByHost } from './registry/buildRegistry.js';
import type { MeshService } from './registry/types.js';
import { clientTlsFor, type ClientTls } from './security/clientTls.js';
import { inboundMtlsMode, peerAuthenticationFor, type MtlsMode } from './security/peerAuthentication.js';
import { destinationRuleFor, type MergedDestinationRule } from './traffic/destinationRules.js';

/** The proxy with id `<name>.<namespace>` or of pod `POD[.NS]`. */
export function findProxy(model: MeshModel, ref: string, defaultNamespace = 'default'): MeshProxy | undefined {
  const exact = model.proxies.find((p) => p.id === ref || (p.name === ref && p.namespace === defaultNamespace));
  if (exact !== undefined) return exact;
  const pod = resolvePodRef(model.cluster, ref, defaultNamespace);
  return pod === undefined
    ? undefined
    : model.proxies.find((p) => p.kind === 'Pod' && p.name === pod.name && p.namespace === pod.namespace);
}

/** The pod `POD[.NS]` (a unique name prefix is enough). */
export function findPodRef(model: MeshModel, ref: string, defaultNamespace = 'default'): Pod | undefined {
  return resolvePodRef(model.cluster, ref, defaultNamespace);
}

/** The service `host` means from `namespace`. */
export function serviceFor(model: MeshModel, host: string, namespace?: string): MeshService | undefined {
  return findServiceByHost(model.registry, host, namespace);
}

/**
 * What a workload in `namespace` gets when it resolves `name`: through its agent's DNS proxy when `proxy`
 * has DNS capture on, else through kube-dns.
 */
export function resolveName(
  model: MeshModel,
  name: string,
  from: { readonly namespace: string; readonly proxy?: MeshProxy },
): DnsAnswer {
  const external = model.options.externalDns ?? {};
  if (from.proxy?.dnsCapture === true) {
    const table = buildNameTable(model.registry, model.cluster, from.proxy);
    return resolveWithDnsProxy(table, model.cluster, from.namespace, name, external);
  }
  return resolveClusterDns(model.cluster, name, from.namespace, external);
}

/** The merged DestinationRule a proxy applies to `service`. */
export function destinationRuleOf(
  model: MeshModel,
  proxy: Pick<MeshProxy, 'namespace' | 'labels'>,
  service: MeshService,
): MergedDestinationRule | undefined {
  return destinationRuleFor(
    model.istio,
    model.meshConfig,
    proxy.namespace,
    service.hostname,
    service.namespace,
    proxy.labels,
    model.cluster.domain,
  );
}

/** The TLS a proxy uses towards `service:port` (optionally a subset). */
export function clientTlsOf(
  model: MeshModel,
  proxy: Pick<MeshProxy, 'namespace' | 'labels'>,
  service: MeshService,
  port: number,
  subset?: string,
): ClientTls {
  return clientTlsFor(
    service,
    port,
    destinationRuleOf(model, proxy, service),
    subset,
    model.registry,
    model.istio,
    model.meshConfig,
  );
}

/** The PeerAuthentication mode of a workload's inbound `port`. */
export function inboundModeOf(
  model: MeshModel,
  workload: { readonly namespace: string; readonly labels: Labels },
  port: number,
): MtlsMode {
  return inboundMtlsMode(
    peerAuthenticationFor(model.istio, model.meshConfig, workload.namespace, workload.labels),
    port,
  );
}
