/**
 * The `istio-init` container's command line, exactly as the sidecar injection template renders it
 * (`manifests/charts/istio-control/istio-discovery/files/injection-template.yaml`, `initContainers`):
 *
 * `istio-iptables -p 15001 -z 15006 -u 1337 -m REDIRECT -i '*' -x "" -b '*' -d 15090,15021,15020
 *  --log_output_level=default:info`
 *
 * with the `traffic.sidecar.istio.io/*` annotations (or the `global.proxy` values) substituted, `-q`/`-o` only
 * when outbound ports are included/excluded, `-k` for `istio.io/reroute-virtual-interfaces` (or the older
 * `traffic.sidecar.istio.io/kubevirtInterfaces`), `-c` for `excludeInterfaces`. DNS capture is not an argument:
 * istio-iptables reads `ISTIO_META_DNS_CAPTURE` from the container's environment (the template copies
 * `proxyMetadata` there), and the DNS servers from the pod's `/etc/resolv.conf`. This is the interface to
 * meshsim's netfilter generator.
 */
import type { Labels } from '../../../k8s/labels.js';
import type { MeshConfig, ProxyConfig } from '../meshConfig.js';
import type { InjectionConfig } from './config.js';

/** Pod annotations that change capture (`traffic.sidecar.istio.io/*` and friends). */
export const TRAFFIC_ANNOTATIONS = {
  includeOutboundIPRanges: 'traffic.sidecar.istio.io/includeOutboundIPRanges',
  excludeOutboundIPRanges: 'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  includeInboundPorts: 'traffic.sidecar.istio.io/includeInboundPorts',
  excludeInboundPorts: 'traffic.sidecar.istio.io/excludeInboundPorts',
  includeOutboundPorts: 'traffic.sidecar.istio.io/includeOutboundPorts',
  excludeOutboundPorts: 'traffic.sidecar.istio.io/excludeOutboundPorts',
  kubevirtInterfaces: 'traffic.sidecar.istio.io/kubevirtInterfaces',
  rerouteVirtualInterfaces: 'istio.io/reroute-virtual-interfaces',
  excludeInterfaces: 'traffic.sidecar.istio.io/excludeInterfaces',
  interceptionMode: 'sidecar.istio.io/interceptionMode',
  statusPort: 'status.sidecar.istio.io/port',
  agentLogLevel: 'sidecar.istio.io/agentLogLevel',
} as const;

/** What runs in `istio-init`: arguments, environment and the resolvers it captures DNS for. */
export interface IptablesInvocation {
  /** `['istio-iptables', '-p', '15001', …]` as in the pod spec. */
  readonly args: readonly string[];
  /** The init container's environment (`proxyMetadata`), e.g. `ISTIO_META_DNS_CAPTURE: 'true'`. */
  readonly env: Readonly<Record<string, string>>;
  /** True when istio-iptables will add the DNS redirection rules (`ISTIO_META_DNS_CAPTURE=true`). */
  readonly redirectDns: boolean;
  /** Nameservers of the pod's resolv.conf (kube-dns's ClusterIP for a `ClusterFirst` pod). */
  readonly dnsServers: readonly string[];
}

/** The template's `annotation .ObjectMeta key default`: the annotation when present (even empty), else the default. */
function annotation(annotations: Labels, key: string, fallback: string | number): string {
  const v = annotations[key];
  return v !== undefined ? v : String(fallback);
}

/** The template's `excludeInboundPort`: adds the status port to the exclusion list unless already there or 0. */
export function excludeInboundPort(port: string, excluded: string): string {
  const portStr = port.trim();
  if (portStr === '' || portStr === '0') return excluded;
  const out: string[] = [];
  for (const p of excluded.split(',')) {
    if (p === portStr) return excluded;
    if (p.trim() !== '') out.push(p.trim());
  }
  out.push(portStr);
  return out.join(',');
}

/** The interception mode of a pod: the annotation, else the ProxyConfig's. */
export function interceptionModeOf(annotations: Labels, pc: ProxyConfig): string {
  return annotation(annotations, TRAFFIC_ANNOTATIONS.interceptionMode, pc.interceptionMode);
}

/** The `istio-iptables` arguments the template renders for a pod with these annotations. */
export function istioIptablesArgs(
  annotations: Labels,
  pc: ProxyConfig,
  mesh: MeshConfig,
  cfg: InjectionConfig,
): string[] {
  const a = (key: string, fallback: string | number): string => annotation(annotations, key, fallback);
  const mode = interceptionModeOf(annotations, pc);
  const excluded = excludeInboundPort(
    a(TRAFFIC_ANNOTATIONS.statusPort, cfg.proxy.statusPort),
    a(TRAFFIC_ANNOTATIONS.excludeInboundPorts, cfg.proxy.excludeInboundPorts),
  );
  const args = [
    'istio-iptables',
    '-p',
    String(mesh.proxyListenPort || 15001),
    '-z',
    String(mesh.proxyInboundListenPort || 15006),
    '-u',
    '1337', // ProxyUID defaults to 1337 (only OpenShift namespaces change it); TPROXY forces 1337
    '-m',
    mode,
    '-i',
    a(TRAFFIC_ANNOTATIONS.includeOutboundIPRanges, cfg.proxy.includeIPRanges),
    '-x',
    a(TRAFFIC_ANNOTATIONS.excludeOutboundIPRanges, cfg.proxy.excludeIPRanges),
    '-b',
    a(TRAFFIC_ANNOTATIONS.includeInboundPorts, cfg.proxy.includeInboundPorts),
    '-d',
    excluded !== '' ? `15090,15021,${excluded}` : '15090,15021',
  ];
  if (annotations[TRAFFIC_ANNOTATIONS.includeOutboundPorts] !== undefined || cfg.proxy.includeOutboundPorts !== '') {
    args.push('-q', a(TRAFFIC_ANNOTATIONS.includeOutboundPorts, cfg.proxy.includeOutboundPorts));
  }
  if (annotations[TRAFFIC_ANNOTATIONS.excludeOutboundPorts] !== undefined || cfg.proxy.excludeOutboundPorts !== '') {
    args.push('-o', a(TRAFFIC_ANNOTATIONS.excludeOutboundPorts, cfg.proxy.excludeOutboundPorts));
  }
  const reroute = annotations[TRAFFIC_ANNOTATIONS.rerouteVirtualInterfaces];
  const kubevirt = annotations[TRAFFIC_ANNOTATIONS.kubevirtInterfaces];
  if (reroute !== undefined) args.push('-k', reroute);
  else if (kubevirt !== undefined) args.push('-k', kubevirt);
  const excludeIfaces = annotations[TRAFFIC_ANNOTATIONS.excludeInterfaces];
  if (excludeIfaces !== undefined) args.push('-c', excludeIfaces);
  args.push(`--log_output_level=${a(TRAFFIC_ANNOTATIONS.agentLogLevel, cfg.loggingLevel)}`);
  if (cfg.cniEnabled) args.push('--run-validation', '--skip-rule-apply');
  return args;
}
