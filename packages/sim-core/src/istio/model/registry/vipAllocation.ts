/**
 * Automatic VIPs for ServiceEntry hosts (Istio ≥ 1.25 default, `PILOT_ENABLE_IP_AUTOALLOCATE`):
 * `pilot/pkg/controllers/ipallocate/ipallocate.go`. A ServiceEntry qualifies (`ShouldV2AutoAllocateIP`) unless
 * its resolution is `NONE`, it has `spec.addresses`, or its label `networking.istio.io/enable-autoallocate-ip`
 * is `false`. Each of its hosts (wildcards only with `DYNAMIC_DNS`) gets the next free address of
 * 240.240.0.0/16 (and of 2001:2::/48), starting at .1, written to `status.addresses`. Addresses already in a
 * ServiceEntry's status (a dump) or in any `spec.addresses` are taken first. The controller reconciles
 * ServiceEntries in the order it learns about them; meshsim uses istiod's config order (creation time, name,
 * namespace), which is creation order in a real cluster. Proxies use these VIPs only with DNS capture on
 * (`nodeUsesAutoallocatedIPs`).
 */
import { asArray, asRecord, asString, asStrings } from '../../../k8s/json.js';
import { cidrAddress, cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../../../k8s/net/ipv4.js';
import type { IstioObject, ServiceEntrySpec } from '../config.js';
import { isWildcarded } from '../host.js';

/** Allocated addresses of one ServiceEntry host. */
export interface AllocatedAddresses {
  readonly v4?: string;
  readonly v6?: string;
}

const V4_PREFIX = parseCidr('240.240.0.0/16');

/** `ShouldV2AutoAllocateIP`. */
export function shouldAutoAllocate(se: IstioObject<ServiceEntrySpec>): boolean {
  if (se.spec.resolution === 'NONE') return false;
  const label = se.metadata.labels?.['networking.istio.io/enable-autoallocate-ip'];
  if (label !== undefined && label.toLowerCase() === 'false') return false;
  return (se.spec.addresses ?? []).length === 0;
}

/** Key of a host within a ServiceEntry. */
export function allocationKey(
  se: { readonly metadata: { readonly namespace?: string; readonly name: string } },
  host: string,
): string {
  return `${se.metadata.namespace ?? ''}/${se.metadata.name}/${host}`;
}

/** Runs the allocation controller over `serviceEntries` (in order); returns addresses by {@link allocationKey}. */
export function allocateServiceEntryAddresses(
  serviceEntries: readonly IstioObject<ServiceEntrySpec>[],
  enabled = true,
): Map<string, AllocatedAddresses> {
  const out = new Map<string, AllocatedAddresses>();
  if (!enabled) return out;
  const used = new Set<number>();
  const usedV6 = new Set<number>();
  const statusOf = (se: IstioObject<ServiceEntrySpec>): { host: string; value: string }[] =>
    asArray(asRecord(se.status)?.['addresses']).flatMap((a) => {
      const r = asRecord(a);
      const host = asString(r?.['host']);
      const value = asString(r?.['value']);
      return host !== undefined && value !== undefined ? [{ host, value }] : [];
    });
  // populateControllerDatastructures: spec addresses and existing status addresses are in use.
  for (const se of serviceEntries) {
    for (const a of [...asStrings(se.spec.addresses), ...statusOf(se).map((s) => s.value)]) {
      const n = parseIPv4(a);
      if (n !== undefined && cidrContains(V4_PREFIX, n)) used.add(n);
      const v6 = v6Index(a);
      if (v6 !== undefined) usedV6.add(v6);
    }
  }
  let next = 1;
  let nextV6 = 1;
  for (const se of serviceEntries) {
    if (!shouldAutoAllocate(se)) continue;
    const existing = statusOf(se);
    const seen = new Set<string>();
    for (const host of se.spec.hosts ?? []) {
      if (isWildcarded(host) && se.spec.resolution !== 'DYNAMIC_DNS') continue;
      if (seen.has(host)) continue;
      seen.add(host);
      const had = existing.filter((e) => e.host === host);
      if (had.length > 0) {
        out.set(allocationKey(se, host), {
          ...(had.find((h) => isV4(h.value)) ? { v4: had.find((h) => isV4(h.value))?.value as string } : {}),
          ...(had.find((h) => !isV4(h.value)) ? { v6: had.find((h) => !isV4(h.value))?.value as string } : {}),
        });
        continue;
      }
      while (used.has(cidrAddress(V4_PREFIX, next)) && next < 65535) next++;
      const v4 = next < 65535 ? formatIPv4(cidrAddress(V4_PREFIX, next)) : undefined;
      if (v4 !== undefined) used.add(cidrAddress(V4_PREFIX, next++));
      while (usedV6.has(nextV6)) nextV6++;
      const v6 = `2001:2::${(nextV6++).toString(16)}`;
      out.set(allocationKey(se, host), { ...(v4 !== undefined ? { v4 } : {}), v6 });
    }
  }
  return out;
}

function isV4(a: string): boolean {
  return parseIPv4(a) !== undefined;
}

function v6Index(a: string): number | undefined {
  const m = /^2001:2::([0-9a-f]{1,4})$/i.exec(a);
  return m ? parseInt(m[1] as string, 16) : undefined;
}
