/**
 * The addresses a proxy uses for a service (istio/istio@1.29.3 `pilot/pkg/model/service.go`
 * `GetAddressForProxy`, `GetAllAddressesForProxy`, `nodeUsesAutoallocatedIPs`): the cluster VIPs (the
 * ClusterIP, or a ServiceEntry's `addresses`), else — for a proxy whose DNS proxy is on, since
 * `PILOT_ENABLE_IP_AUTOALLOCATE` is on by default — the VIP Istio allocated, else the default address
 * (`0.0.0.0` when there is none). meshsim's proxies are IPv4, so IPv6 addresses are filtered out.
 */
import { isIPv4 } from '../../k8s/net/ipv4.js';
import type { MeshService } from '../model/registry/types.js';

/** The unspecified address istiod uses for services without a VIP. */
export const UNSPECIFIED_IP = '0.0.0.0';

function v4(addresses: readonly string[]): string[] {
  return addresses.filter((a) => isIPv4(a.split('/')[0] ?? ''));
}

/** `GetAllAddressesForProxy`. */
export function addressesForProxy(s: MeshService, proxy: { readonly dnsCapture: boolean }): string[] {
  let out = v4(s.addresses);
  if (out.length === 0 && proxy.dnsCapture && s.autoAllocatedIPv4Address !== undefined)
    out = [s.autoAllocatedIPv4Address];
  if (out.length > 0) return out;
  return s.defaultAddress !== '' ? [s.defaultAddress] : [];
}

/** `GetAddressForProxy`. */
export function addressForProxy(s: MeshService, proxy: { readonly dnsCapture: boolean }): string {
  const vips = v4(s.addresses);
  if (vips[0] !== undefined) return vips[0];
  if (proxy.dnsCapture && s.defaultAddress === UNSPECIFIED_IP && s.autoAllocatedIPv4Address !== undefined)
    return s.autoAllocatedIPv4Address;
  return s.defaultAddress;
}

/** `GetExtraAddressesForProxy`. */
export function extraAddressesForProxy(s: MeshService, proxy: { readonly dnsCapture: boolean }): string[] {
  return addressesForProxy(s, proxy).slice(1);
}
