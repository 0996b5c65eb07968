/**
 * DNS capture (istio/istio tools/istio-iptables/pkg/capture/run.go `SetupDNSRedir`, `addDNSConntrackZones`):
 * DNS to the pod's nameservers (or any, with capture-all-dns) goes to the agent on 15053, and UDP DNS is
 * split into two conntrack zones so the agent's upstream queries never collide with the app's queries.
 */
import { split, type IstioIptablesConfig } from './config.js';
import { ISTIO_AGENT_DNS_LISTENER_PORT, ISTIO_INBOUND, ISTIO_OUTPUT, ISTIO_OUTPUT_DNS } from './constants.js';
import type { IstioRuleBuilder } from './ruleBuilder.js';

/** Appends the DNS capture rules (nat) and conntrack zones (raw). */
export function setupDNSRedir(rb: IstioRuleBuilder, cfg: IstioIptablesConfig): void {
  const dns = ISTIO_AGENT_DNS_LISTENER_PORT;
  rb.appendRule('OUTPUT', 'raw', '-j', ISTIO_OUTPUT_DNS);
  if (cfg.captureAllDNS || cfg.dnsServersV4.length > 0) rb.appendRuleV4(ISTIO_OUTPUT, 'nat', '-j', ISTIO_OUTPUT_DNS);
  if (cfg.captureAllDNS || cfg.dnsServersV6.length > 0) rb.appendRuleV6(ISTIO_OUTPUT, 'nat', '-j', ISTIO_OUTPUT_DNS);
  if (cfg.captureAllDNS) {
    rb.appendRule(ISTIO_OUTPUT_DNS, 'nat', '-p', 'tcp', '--dport', '53', '-j', 'REDIRECT', '--to-ports', dns);
    rb.appendRule(ISTIO_OUTPUT_DNS, 'nat', '-p', 'udp', '--dport', '53', '-j', 'REDIRECT', '--to-port', dns);
  } else {
    // Per nameserver: TCP to all of them (v4, then v6), then UDP. run.go writes `--to-ports` for TCP and
    // `--to-port` for UDP (iptables accepts the prefix); the payload keeps Istio's spelling.
    const toServers = (proto: 'tcp' | 'udp', toPorts: '--to-ports' | '--to-port'): void => {
      const redirect = ['-j', 'REDIRECT', toPorts, dns];
      for (const s of cfg.dnsServersV4)
        rb.appendRuleV4(ISTIO_OUTPUT_DNS, 'nat', '-p', proto, '--dport', '53', '-d', `${s}/32`, ...redirect);
      for (const s of cfg.dnsServersV6)
        rb.appendRuleV6(ISTIO_OUTPUT_DNS, 'nat', '-p', proto, '--dport', '53', '-d', `${s}/128`, ...redirect);
    };
    toServers('tcp', '--to-ports');
    toServers('udp', '--to-port');
  }
  // addDNSConntrackZones: the agent's queries to upstream resolvers (to 53) in zone 1, its answers to the
  // apps (from 15053) in zone 2 — for each proxy UID, then each GID.
  const zones = (match: '--uid-owner' | '--gid-owner', id: string): void => {
    const owner = ['-m', 'owner', match, id];
    rb.appendRule(ISTIO_OUTPUT_DNS, 'raw', '-p', 'udp', '--dport', '53', ...owner, '-j', 'CT', '--zone', '1');
    rb.appendRule(ISTIO_OUTPUT_DNS, 'raw', '-p', 'udp', '--sport', dns, ...owner, '-j', 'CT', '--zone', '2');
  };
  for (const uid of split(cfg.proxyUID)) zones('--uid-owner', uid);
  for (const gid of split(cfg.proxyGID)) zones('--gid-owner', gid);
  if (cfg.captureAllDNS) {
    rb.appendRule('PREROUTING', 'raw', '-j', ISTIO_INBOUND);
    rb.appendRule(ISTIO_OUTPUT_DNS, 'raw', '-p', 'udp', '--dport', '53', '-j', 'CT', '--zone', '2');
    rb.appendRule(ISTIO_INBOUND, 'raw', '-p', 'udp', '--sport', '53', '-j', 'CT', '--zone', '1');
    return;
  }
  if (cfg.dnsServersV4.length > 0) rb.appendRuleV4('PREROUTING', 'raw', '-j', ISTIO_INBOUND);
  for (const s of cfg.dnsServersV4) {
    rb.appendRuleV4(ISTIO_OUTPUT_DNS, 'raw', '-p', 'udp', '--dport', '53', '-d', `${s}/32`, '-j', 'CT', '--zone', '2');
    rb.appendRuleV4(ISTIO_INBOUND, 'raw', '-p', 'udp', '--sport', '53', '-s', `${s}/32`, '-j', 'CT', '--zone', '1');
  }
  if (cfg.dnsServersV6.length > 0) rb.appendRuleV6('PREROUTING', 'raw', '-j', ISTIO_INBOUND);
  for (const s of cfg.dnsServersV6) {
    rb.appendRuleV6(ISTIO_OUTPUT_DNS, 'raw', '-p', 'udp', '--dport', '53', '-d', `${s}/128`, '-j', 'CT', '--zone', '2');
    rb.appendRuleV6(ISTIO_INBOUND, 'raw', '-p', 'udp', '--sport', '53', '-s', `${s}/128`, '-j', 'CT', '--zone', '1');
  }
}
