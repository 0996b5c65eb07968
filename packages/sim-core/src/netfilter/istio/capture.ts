/**
 * The rules istio-iptables installs in a sidecar pod — a rule-for-rule port of istio/istio
 * tools/istio-iptables/pkg/capture/run.go @86c9f01 (`Run`, `handleInboundPortsInclude`,
 * `handleOutboundIncludeRules`, `handleOutboundPortsInclude`, `handleCaptureByOwnerGroup`, `SetupDNSRedir`,
 * `addDNSConntrackZones`, `shortCircuitExcludeInterfaces`, `shortCircuitKubeInternalInterface`), so the
 * payload equals Istio's golden files for the same configuration, order included.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { formatPrefixAsWritten } from '../addr.js';
import type { PolicyRoute } from '../netns.js';
import {
  separateV4V6,
  split,
  validateIstioIptablesConfig,
  type IstioIptablesConfig,
  type NetworkRange,
} from './config.js';
import { ISTIO_DROP, ISTIO_IN_REDIRECT, ISTIO_INBOUND, ISTIO_OUTPUT, ISTIO_REDIRECT } from './constants.js';
import { setupDNSRedir } from './dns.js';
import { appendMultiportRules, handleInboundPortsInclude } from './inbound.js';
import { IP_VERSION_SPECIFIC as VS, IstioRuleBuilder } from './ruleBuilder.js';
import { tproxyRules } from './tproxy.js';

export { ISTIO_AGENT_DNS_LISTENER_PORT, ISTIO_CHAINS } from './constants.js';

/** What istio-iptables sets up for a pod. */
export interface IstioIptablesRules {
  readonly config: IstioIptablesConfig;
  /** The `iptables-restore --noflush` payload. */
  readonly v4: string;
  /** The `ip6tables-restore --noflush` payload, when the pod has IPv6. */
  readonly v6?: string;
  /** TPROXY policy routing (tools/common/tproxy `configureTProxyRoutes`): fwmark → local table. */
  readonly policyRoutes: readonly PolicyRoute[];
}

/** Builds the rules for `cfg` (validated first, as `Config.Validate` and `Run` do). */
export function buildIstioRules(cfg: IstioIptablesConfig, where: SourceLocation = {}): IstioIptablesRules {
  validateIstioIptablesConfig(cfg, where);
  const rb = new IstioRuleBuilder(cfg.enableIPv6);
  const tproxy = cfg.inboundInterceptionMode === 'TPROXY';
  const exclude = separateV4V6(cfg.outboundIPRangesExclude, { ...where, field: '-x' });
  if (exclude.v4.isWildcard)
    throw new ConfigError('invalid value for OUTBOUND_IP_RANGES_EXCLUDE', { ...where, field: '-x' }, 'istio-iptables');
  const include = separateV4V6(cfg.outboundIPRangesInclude, { ...where, field: '-i' });
  let redirectDNS = cfg.redirectDNS;
  if (redirectDNS && !cfg.captureAllDNS && cfg.dnsServersV4.length === 0 && cfg.dnsServersV6.length === 0) {
    redirectDNS = false; // "REDIRECT_DNS is set, but CAPTURE_ALL_DNS is false, and no DNS servers provided"
  }

  // shortCircuitExcludeInterfaces
  for (const nic of split(cfg.excludeInterfaces)) {
    rb.appendRule('PREROUTING', 'nat', '-i', nic, '-j', 'RETURN');
    rb.appendRule('OUTPUT', 'nat', '-o', nic, '-j', 'RETURN');
  }
  if (tproxy) {
    for (const nic of split(cfg.excludeInterfaces)) {
      rb.appendRule('PREROUTING', 'mangle', '-i', nic, '-j', 'RETURN');
      rb.appendRule('OUTPUT', 'mangle', '-o', nic, '-j', 'RETURN');
    }
  }
  // shortCircuitKubeInternalInterface
  for (const nic of split(cfg.rerouteVirtualInterfaces))
    rb.insertRule('PREROUTING', 'nat', 1, '-i', nic, '-j', 'RETURN');
  if (cfg.dropInvalid) {
    rb.appendRule('PREROUTING', 'mangle', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', ISTIO_DROP);
    rb.appendRule(ISTIO_DROP, 'mangle', '-j', 'DROP');
  }
  rb.appendRule(ISTIO_INBOUND, 'nat', '-p', 'tcp', '--dport', cfg.inboundTunnelPort, '-j', 'RETURN');
  rb.appendRule(ISTIO_REDIRECT, 'nat', '-p', 'tcp', '-j', 'REDIRECT', '--to-ports', cfg.proxyPort);
  rb.appendRule(ISTIO_IN_REDIRECT, 'nat', '-p', 'tcp', '-j', 'REDIRECT', '--to-ports', cfg.inboundCapturePort);
  handleInboundPortsInclude(rb, cfg, tproxy);
  rb.appendRule('OUTPUT', 'nat', '-j', ISTIO_OUTPUT);
  if (cfg.outboundPortsExclude !== '') {
    const ports = split(cfg.outboundPortsExclude);
    if (cfg.portExclusionStyle === 'multiport') {
      for (const proto of ['tcp', 'udp']) appendMultiportRules(rb, ISTIO_OUTPUT, 'nat', proto, ports, 'RETURN');
    } else {
      for (const port of ports) {
        rb.appendRule(ISTIO_OUTPUT, 'nat', '-p', 'tcp', '--dport', port, '-j', 'RETURN');
        rb.appendRule(ISTIO_OUTPUT, 'nat', '-p', 'udp', '--dport', port, '-j', 'RETURN');
      }
    }
  }
  rb.appendVersionedRule('127.0.0.6/32', '::6/128', ISTIO_OUTPUT, 'nat', '-o', 'lo', '-s', VS, '-j', 'RETURN');
  const loopbackIncluded = include.v4.hasLoopBackIP || include.v6.hasLoopBackIP;
  const lo = cfg.hostIPv4LoopbackCidr;
  // run.go has one loop over the proxy's UIDs and one over its GIDs, identical but for the owner match and
  // for the UID loop alone sparing DNS (port 53) from the app-to-itself redirect when DNS is captured.
  const proxyOwnerRules = (match: '--uid-owner' | '--gid-owner', id: string, spareDNS: boolean): void => {
    // Redirect app calls back to itself via Envoy when using the service VIP (appN => Envoy => appN).
    const notTunnel = spareDNS
      ? ['-m', 'multiport', '!', '--dports', `53,${cfg.inboundTunnelPort}`]
      : ['!', '--dport', cfg.inboundTunnelPort];
    const redirect = ['-o', 'lo', '!', '-d', VS, '-p', 'tcp', ...notTunnel, '-m', 'owner', match, id];
    rb.appendVersionedRule(lo, '::1/128', ISTIO_OUTPUT, 'nat', ...redirect, '-j', ISTIO_IN_REDIRECT);
    if (!loopbackIncluded) {
      // The proxy's own loopback traffic is not captured (with DNS capture: except its DNS over TCP).
      const dns = redirectDNS ? ['-p', 'tcp', '!', '--dport', '53'] : [];
      rb.appendRule(ISTIO_OUTPUT, 'nat', '-o', 'lo', ...dns, '-m', 'owner', '!', match, id, '-j', 'RETURN');
    }
    rb.appendRule(ISTIO_OUTPUT, 'nat', '-m', 'owner', match, id, '-j', 'RETURN');
  };
  for (const uid of split(cfg.proxyUID)) proxyOwnerRules('--uid-owner', uid, redirectDNS);
  for (const gid of split(cfg.proxyGID)) proxyOwnerRules('--gid-owner', gid, false);
  // handleCaptureByOwnerGroup (config.ParseInterceptFilter)
  if (cfg.ownerGroupsInclude === '*') {
    for (const group of split(cfg.ownerGroupsExclude))
      rb.appendRule(ISTIO_OUTPUT, 'nat', '-m', 'owner', '--gid-owner', group, '-j', 'RETURN');
  } else {
    const noneOf = split(cfg.ownerGroupsInclude).flatMap((g) => ['-m', 'owner', '!', '--gid-owner', g]);
    rb.appendRule(ISTIO_OUTPUT, 'nat', ...noneOf, '-j', 'RETURN');
  }
  if (redirectDNS) setupDNSRedir(rb, cfg);
  rb.appendVersionedRule(lo, '::1/128', ISTIO_OUTPUT, 'nat', '-d', VS, '-j', 'RETURN');
  for (const c of exclude.v4.cidrs)
    rb.appendRuleV4(ISTIO_OUTPUT, 'nat', '-d', formatPrefixAsWritten(c), '-j', 'RETURN');
  for (const c of exclude.v6.cidrs)
    rb.appendRuleV6(ISTIO_OUTPUT, 'nat', '-d', formatPrefixAsWritten(c), '-j', 'RETURN');
  for (const port of split(cfg.outboundPortsInclude))
    rb.appendRule(ISTIO_OUTPUT, 'nat', '-p', 'tcp', '--dport', port, '-j', ISTIO_REDIRECT);
  handleOutboundIncludeRules(rb, cfg, include.v4, 4);
  handleOutboundIncludeRules(rb, cfg, include.v6, 6);
  if (tproxy) tproxyRules(rb, cfg);
  return {
    config: cfg,
    v4: rb.buildV4Restore(),
    ...(cfg.enableIPv6 ? { v6: rb.buildV6Restore() } : {}),
    policyRoutes:
      tproxy && cfg.inboundPortsInclude !== '' ? [{ fwmark: Number(cfg.inboundTProxyMark), mask: 0xffffffff }] : [],
  };
}

function handleOutboundIncludeRules(
  rb: IstioRuleBuilder,
  cfg: IstioIptablesConfig,
  range: NetworkRange,
  family: 4 | 6,
): void {
  const append = family === 4 ? rb.appendRuleV4.bind(rb) : rb.appendRuleV6.bind(rb);
  const insert = family === 4 ? rb.insertRuleV4.bind(rb) : rb.insertRuleV6.bind(rb);
  if (range.isWildcard) {
    append(ISTIO_OUTPUT, 'nat', '-j', ISTIO_REDIRECT);
    for (const nic of split(cfg.rerouteVirtualInterfaces))
      insert('PREROUTING', 'nat', 1, '-i', nic, '-j', ISTIO_REDIRECT);
  } else if (range.cidrs.length > 0) {
    for (const c of range.cidrs) {
      for (const nic of split(cfg.rerouteVirtualInterfaces))
        insert('PREROUTING', 'nat', 1, '-i', nic, '-d', formatPrefixAsWritten(c), '-j', ISTIO_REDIRECT);
      append(ISTIO_OUTPUT, 'nat', '-d', formatPrefixAsWritten(c), '-j', ISTIO_REDIRECT);
    }
  }
}
