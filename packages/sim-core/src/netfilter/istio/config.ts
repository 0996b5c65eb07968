/**
 * The configuration of `istio-iptables` (Istio's sidecar traffic-capture setup), field for field as
 * istio/istio tools/common/config/config.go `Config`, with the defaults of `DefaultConfig()` and of
 * `FillConfigFromEnvironment()` (proxy uid 1337 when unset, proxy gid = proxy uid). Values are the strings
 * Istio itself keeps (`"15090,15021,15020"`, `"*"`), so a golden file's configuration reads the same here.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { parseGoPrefix, type Cidr } from '../addr.js';

/** Mirrors `tools/common/config.Config` (the fields that decide rules, plus the ones recorded for reference). */
export interface IstioIptablesConfig {
  /** `-p`: Envoy's outbound capture port (virtualOutbound listener). @defaultValue "15001" */
  readonly proxyPort: string;
  /** `-z`: Envoy's inbound capture port (virtualInbound listener). @defaultValue "15006" */
  readonly inboundCapturePort: string;
  /** `-e`: the HBONE tunnel port, never captured inbound. @defaultValue "15008" */
  readonly inboundTunnelPort: string;
  /** `-u`: comma-separated uids whose traffic is not captured (Envoy's). @defaultValue "1337" */
  readonly proxyUID: string;
  /** `-g`: comma-separated gids; empty means the same as proxyUID. @defaultValue "" (= proxyUID) */
  readonly proxyGID: string;
  /** `-m`: `REDIRECT` or `TPROXY`; anything but TPROXY behaves as REDIRECT. @defaultValue "" */
  readonly inboundInterceptionMode: string;
  /** `-t`: the TPROXY mark. @defaultValue "1337" */
  readonly inboundTProxyMark: string;
  /** `-r`: the TPROXY policy routing table. @defaultValue "133" */
  readonly inboundTProxyRouteTable: string;
  /** `-b`: inbound ports to capture, `*` for all, empty for none. @defaultValue "" */
  readonly inboundPortsInclude: string;
  /** `-d`: inbound ports not captured (only with `-b *`). @defaultValue "" */
  readonly inboundPortsExclude: string;
  /** ISTIO_OUTBOUND_OWNER_GROUPS: groups whose outbound traffic is captured. @defaultValue "*" */
  readonly ownerGroupsInclude: string;
  /** ISTIO_OUTBOUND_OWNER_GROUPS_EXCLUDE: groups never captured (with include `*`). @defaultValue "" */
  readonly ownerGroupsExclude: string;
  /** `-q`: outbound ports always captured. @defaultValue "" */
  readonly outboundPortsInclude: string;
  /** `-o`: outbound ports never captured. @defaultValue "" */
  readonly outboundPortsExclude: string;
  /** `-i`: outbound CIDRs to capture, `*` for all, empty for none. @defaultValue "" */
  readonly outboundIPRangesInclude: string;
  /** `-x`: outbound CIDRs never captured. @defaultValue "" */
  readonly outboundIPRangesExclude: string;
  /** `-k`: interfaces whose inbound traffic (from VMs) is treated as outbound. @defaultValue "" */
  readonly rerouteVirtualInterfaces: string;
  /** `-c`: interfaces never captured in either direction. @defaultValue "" */
  readonly excludeInterfaces: string;
  /** `--redirect-dns` / ISTIO_META_DNS_CAPTURE: capture DNS to the agent on 15053. @defaultValue false */
  readonly redirectDNS: boolean;
  /** `--drop-invalid` / INVALID_DROP. @defaultValue false */
  readonly dropInvalid: boolean;
  /** `--capture-all-dns`: capture port 53 to any server. @defaultValue false */
  readonly captureAllDNS: boolean;
  /** Whether the pod has an IPv6 address (istio-iptables detects it); adds the ip6tables payload. @defaultValue false */
  readonly enableIPv6: boolean;
  /** Nameservers of the pod's /etc/resolv.conf (IPv4), used by DNS capture. @defaultValue [] */
  readonly dnsServersV4: readonly string[];
  /** Nameservers of the pod's /etc/resolv.conf (IPv6). @defaultValue [] */
  readonly dnsServersV6: readonly string[];
  /** ISTIO_OUTBOUND_IPV4_LOOPBACK_CIDR. @defaultValue "127.0.0.1/32" */
  readonly hostIPv4LoopbackCidr: string;
  /** `--skip-rule-apply`: istio-cni installs the same rules instead of istio-init. @defaultValue false */
  readonly skipRuleApply: boolean;
  /** `--native-nftables`: the same capture expressed in nftables; meshsim models it with these rules. @defaultValue false */
  readonly nativeNftables: boolean;
  /**
   * meshsim: how port exclusions (`-d` with `-b *`, and `-o`) are written. `per-port` is what Istio 1.29
   * and master (@86c9f01) emit; `multiport` is the form of Istio commit e8f9bf50 ("use multiport match for
   * iptables port exclusion rules"), which two of the reference goldens come from. Same behaviour.
   * @defaultValue "per-port"
   */
  readonly portExclusionStyle: 'per-port' | 'multiport';
}

/** `DefaultConfig()` completed as `FillConfigFromEnvironment()` does in the istio-init container. */
export const DEFAULT_ISTIO_IPTABLES_CONFIG: IstioIptablesConfig = Object.freeze({
  proxyPort: '15001',
  inboundCapturePort: '15006',
  inboundTunnelPort: '15008',
  proxyUID: '1337',
  proxyGID: '',
  inboundInterceptionMode: '',
  inboundTProxyMark: '1337',
  inboundTProxyRouteTable: '133',
  inboundPortsInclude: '',
  inboundPortsExclude: '',
  ownerGroupsInclude: '*',
  ownerGroupsExclude: '',
  outboundPortsInclude: '',
  outboundPortsExclude: '',
  outboundIPRangesInclude: '',
  outboundIPRangesExclude: '',
  rerouteVirtualInterfaces: '',
  excludeInterfaces: '',
  redirectDNS: false,
  dropInvalid: false,
  captureAllDNS: false,
  enableIPv6: false,
  dnsServersV4: Object.freeze([]) as readonly string[],
  dnsServersV6: Object.freeze([]) as readonly string[],
  hostIPv4LoopbackCidr: '127.0.0.1/32',
  skipRuleApply: false,
  nativeNftables: false,
  portExclusionStyle: 'per-port' as const,
});

/** A complete configuration from a partial one (the rest from {@link DEFAULT_ISTIO_IPTABLES_CONFIG}). */
export function istioIptablesConfig(partial: Partial<IstioIptablesConfig> = {}): IstioIptablesConfig {
  return Object.freeze({ ...DEFAULT_ISTIO_IPTABLES_CONFIG, ...partial });
}

/** Go's `config.Split`: comma-separated, empty items dropped. */
export function split(s: string): string[] {
  return s === '' ? [] : s.split(',').filter((x) => x !== '');
}

/** `config.NetworkRange`: `*`, or the CIDRs of one family and whether one is a loopback address. */
export interface NetworkRange {
  readonly isWildcard: boolean;
  readonly cidrs: readonly Cidr[];
  readonly hasLoopBackIP: boolean;
}

/** `config.SeparateV4V6`: splits a CIDR list into its IPv4 and IPv6 ranges (`netip.ParsePrefix` syntax). */
export function separateV4V6(list: string, where: SourceLocation): { v4: NetworkRange; v6: NetworkRange } {
  if (list === '*') {
    const all = { isWildcard: true, cidrs: [], hasLoopBackIP: false };
    return { v4: all, v6: all };
  }
  const v4: Cidr[] = [];
  const v6: Cidr[] = [];
  for (const item of split(list)) {
    const c = parseGoPrefix(item);
    if (c === undefined)
      throw new ConfigError(
        `netip.ParsePrefix(${JSON.stringify(item)}): not a CIDR (ADDR/LEN)`,
        where,
        'istio-iptables',
      );
    (c.family === 4 ? v4 : v6).push(c);
  }
  const loop = (cs: Cidr[]) =>
    cs.some((c) => (c.family === 4 ? c.address.words[0]! >>> 24 === 127 : c.address.words.join() === '0,0,0,1'));
  return {
    v4: { isWildcard: false, cidrs: v4, hasLoopBackIP: loop(v4) },
    v6: { isWildcard: false, cidrs: v6, hasLoopBackIP: loop(v6) },
  };
}

/** `config.Validate()`: owner groups (at most 64 included) and the IPv4 loopback CIDR. */
export function validateIstioIptablesConfig(cfg: IstioIptablesConfig, where: SourceLocation = {}): void {
  if (cfg.ownerGroupsInclude !== '*' && split(cfg.ownerGroupsInclude).length > 64) {
    throw new ConfigError(
      `number of owner groups whose outgoing traffic should be redirected to Envoy cannot exceed 64, got ${split(cfg.ownerGroupsInclude).length}`,
      { ...where, field: 'ISTIO_OUTBOUND_OWNER_GROUPS' },
      'istio-iptables',
    );
  }
  const c = parseGoPrefix(cfg.hostIPv4LoopbackCidr);
  const at = { ...where, field: 'ISTIO_OUTBOUND_IPV4_LOOPBACK_CIDR' };
  if (c === undefined) throw new ConfigError(`failed to parse CIDR ${cfg.hostIPv4LoopbackCidr}`, at, 'istio-iptables');
  if (c.family !== 4 || c.address.words[0]! >>> 24 !== 127) {
    throw new ConfigError(
      `expected valid IPv4 loopback address in CIDR ${cfg.hostIPv4LoopbackCidr}`,
      at,
      'istio-iptables',
    );
  }
  if (c.prefixLength < 8)
    throw new ConfigError(
      `expected CIDR ${cfg.hostIPv4LoopbackCidr} to have mask in range [8, 32]`,
      at,
      'istio-iptables',
    );
  if (cfg.outboundIPRangesExclude === '*') {
    throw new ConfigError(
      'invalid value for OUTBOUND_IP_RANGES_EXCLUDE ("*" is not allowed)',
      { ...where, field: '-x' },
      'istio-iptables',
    );
  }
}
