/**
 * kube-proxy's chain names (kubernetes/kubernetes pkg/proxy/iptables/proxier.go `portProtoHash`,
 * `servicePortPolicyClusterChain`, `serviceExternalChainName`, `servicePortEndpointChainName`): a prefix
 * and the first 16 characters of base32(sha256(servicePortName + protocol [+ endpoint])), so names stay
 * within iptables' 28-character limit and are stable across restarts.
 */
import { base32, sha256, utf8 } from './sha256.js';

const hash16 = (s: string): string => base32(sha256(utf8(s))).slice(0, 16);

/** `ServicePortName.String()`: `namespace/name`, plus `:portName` when the port is named. */
export function servicePortName(namespace: string, name: string, portName = ''): string {
  return `${namespace}/${name}${portName === '' ? '' : `:${portName}`}`;
}

/** `KUBE-SVC-…`: the Cluster-policy chain that picks an endpoint. `protocol` is lowercase (`tcp`). */
export function serviceChainName(svcPortName: string, protocol: string): string {
  return `KUBE-SVC-${hash16(svcPortName + protocol)}`;
}

/** `KUBE-SVL-…`: the Local-policy chain. */
export function serviceLocalChainName(svcPortName: string, protocol: string): string {
  return `KUBE-SVL-${hash16(svcPortName + protocol)}`;
}

/** `KUBE-EXT-…`: where NodePort/external traffic enters. */
export function serviceExternalChainName(svcPortName: string, protocol: string): string {
  return `KUBE-EXT-${hash16(svcPortName + protocol)}`;
}

/** `KUBE-FW-…`: loadBalancerSourceRanges filtering. */
export function serviceFirewallChainName(svcPortName: string, protocol: string): string {
  return `KUBE-FW-${hash16(svcPortName + protocol)}`;
}

/** `KUBE-SEP-…`: one endpoint's chain; `endpoint` is `net.JoinHostPort(ip, port)` (`10.0.1.1:80`, `[fd00::1]:80`). */
export function endpointChainName(svcPortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(svcPortName + protocol + endpoint)}`;
}
