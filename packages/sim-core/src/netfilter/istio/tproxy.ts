/**
 * TPROXY-mode extras (istio/istio tools/istio-iptables/pkg/capture/run.go, the end of `Run`): keep Envoy's
 * connections back to its own pod out of the inbound TPROXY capture with marks 1337/1338 and CONNMARK.
 */
import { split, type IstioIptablesConfig } from './config.js';
import { ISTIO_INBOUND, OUTBOUND_MARK } from './constants.js';
import { IP_VERSION_SPECIFIC as VS, type IstioRuleBuilder } from './ruleBuilder.js';

/** Appends the TPROXY mark and CONNMARK rules. */
export function tproxyRules(rb: IstioRuleBuilder, cfg: IstioIptablesConfig): void {
  const mark = cfg.inboundTProxyMark;
  const lo = cfg.hostIPv4LoopbackCidr;
  rb.appendRule('PREROUTING', 'mangle', '-p', 'tcp', '-m', 'mark', '--mark', mark, '-j', 'CONNMARK', '--save-mark');
  rb.appendRule('OUTPUT', 'mangle', '-p', 'tcp', '-o', 'lo', '-m', 'mark', '--mark', mark, '-j', 'RETURN');
  // Envoy's own loopback connections (by each proxy UID, then GID) get the outbound mark.
  const markOwn = (match: '--uid-owner' | '--gid-owner', id: string): void => {
    const own = ['!', '-d', VS, '-p', 'tcp', '-o', 'lo', '-m', 'owner', match, id];
    rb.appendVersionedRule(lo, '::1/128', 'OUTPUT', 'mangle', ...own, '-j', 'MARK', '--set-mark', OUTBOUND_MARK);
  };
  for (const uid of split(cfg.proxyUID)) markOwn('--uid-owner', uid);
  for (const gid of split(cfg.proxyGID)) markOwn('--gid-owner', gid);
  rb.appendRule('OUTPUT', 'mangle', '-p', 'tcp', '-m', 'connmark', '--mark', mark, '-j', 'CONNMARK', '--restore-mark');
  rb.insertRule(ISTIO_INBOUND, 'mangle', 1, '-p', 'tcp', '-m', 'mark', '--mark', mark, '-j', 'RETURN');
  rb.insertRuleV4(ISTIO_INBOUND, 'mangle', 2, '-p', 'tcp', '-s', '127.0.0.6/32', '-i', 'lo', '-j', 'RETURN');
  rb.insertRuleV6(ISTIO_INBOUND, 'mangle', 2, '-p', 'tcp', '-s', '::6/128', '-i', 'lo', '-j', 'RETURN');
  rb.insertRule(
    ISTIO_INBOUND,
    'mangle',
    3,
    '-p',
    'tcp',
    '-i',
    'lo',
    '-m',
    'mark',
    '!',
    '--mark',
    OUTBOUND_MARK,
    '-j',
    'RETURN',
  );
}
