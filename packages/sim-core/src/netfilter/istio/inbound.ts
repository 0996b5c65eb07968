/**
 * Inbound capture (istio/istio tools/istio-iptables/pkg/capture/run.go `handleInboundPortsInclude`): which
 * inbound TCP ports go to Envoy's inbound capture port — REDIRECT in nat, or TPROXY in mangle.
 */
import { split, type IstioIptablesConfig } from './config.js';
import { ISTIO_DIVERT, ISTIO_IN_REDIRECT, ISTIO_INBOUND, ISTIO_TPROXY } from './constants.js';
import { IP_VERSION_SPECIFIC as VS, type IstioRuleBuilder } from './ruleBuilder.js';

/** Appends the inbound capture rules. */
export function handleInboundPortsInclude(rb: IstioRuleBuilder, cfg: IstioIptablesConfig, tproxy: boolean): void {
  if (cfg.inboundPortsInclude === '') return;
  let table = 'nat';
  if (tproxy) {
    rb.appendRule(ISTIO_DIVERT, 'mangle', '-j', 'MARK', '--set-mark', cfg.inboundTProxyMark);
    rb.appendRule(ISTIO_DIVERT, 'mangle', '-j', 'ACCEPT');
    rb.appendVersionedRule(
      cfg.hostIPv4LoopbackCidr,
      '::1/128',
      ISTIO_TPROXY,
      'mangle',
      '!',
      '-d',
      VS,
      '-p',
      'tcp',
      '-j',
      'TPROXY',
      '--tproxy-mark',
      `${cfg.inboundTProxyMark}/0xffffffff`,
      '--on-port',
      cfg.inboundCapturePort,
    );
    table = 'mangle';
  }
  rb.appendRule('PREROUTING', table, '-p', 'tcp', '-j', ISTIO_INBOUND);
  if (cfg.inboundPortsInclude === '*') {
    if (cfg.inboundPortsExclude !== '') {
      const ports = split(cfg.inboundPortsExclude);
      if (cfg.portExclusionStyle === 'multiport')
        appendMultiportRules(rb, ISTIO_INBOUND, table, 'tcp', ports, 'RETURN');
      else for (const port of ports) rb.appendRule(ISTIO_INBOUND, table, '-p', 'tcp', '--dport', port, '-j', 'RETURN');
    }
    if (tproxy) {
      rb.appendRule(
        ISTIO_INBOUND,
        'mangle',
        '-p',
        'tcp',
        '-m',
        'conntrack',
        '--ctstate',
        'RELATED,ESTABLISHED',
        '-j',
        ISTIO_DIVERT,
      );
      rb.appendRule(ISTIO_INBOUND, 'mangle', '-p', 'tcp', '-j', ISTIO_TPROXY);
    } else {
      rb.appendRule(ISTIO_INBOUND, 'nat', '-p', 'tcp', '-j', ISTIO_IN_REDIRECT);
    }
    return;
  }
  for (const port of split(cfg.inboundPortsInclude)) {
    if (tproxy) {
      rb.appendRule(
        ISTIO_INBOUND,
        'mangle',
        '-p',
        'tcp',
        '--dport',
        port,
        '-m',
        'conntrack',
        '--ctstate',
        'RELATED,ESTABLISHED',
        '-j',
        ISTIO_DIVERT,
      );
      rb.appendRule(ISTIO_INBOUND, 'mangle', '-p', 'tcp', '--dport', port, '-j', ISTIO_TPROXY);
    } else {
      rb.appendRule(ISTIO_INBOUND, 'nat', '-p', 'tcp', '--dport', port, '-j', ISTIO_IN_REDIRECT);
    }
  }
}

// Commit e8f9bf50 `appendMultiportRules`: up to 15 ports per multiport rule; a single port stays --dport.
export function appendMultiportRules(
  rb: IstioRuleBuilder,
  chain: string,
  table: string,
  proto: string,
  ports: readonly string[],
  target: string,
): void {
  for (let i = 0; i < ports.length; i += 15) {
    const chunk = ports.slice(i, i + 15);
    if (chunk.length === 1) rb.appendRule(chain, table, '-p', proto, '--dport', chunk[0] as string, '-j', target);
    else rb.appendRule(chain, table, '-p', proto, '-m', 'multiport', '--dports', chunk.join(','), '-j', target);
  }
}
