import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { parseRestore } from '../restore.js';
import { parseIstioIptablesArgs } from './args.js';
import { buildIstioRules } from './capture.js';
import { istioIptablesConfig, type IstioIptablesConfig } from './config.js';

const DIR = new URL('../testdata/istio-golden/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');

interface GoldenCase {
  readonly config?: Partial<IstioIptablesConfig>;
  readonly argv?: string[];
  readonly env?: Record<string, string>;
  readonly nameservers?: string[];
  readonly v6?: string;
}
const CASES = JSON.parse(read('cases.json')) as Record<string, GoldenCase>;
delete (CASES as Record<string, unknown>)['_comment'];

/** The payload lines of a golden: what istio-iptables fed to iptables-restore (comments and blanks dropped). */
const payloadLines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

function configOf(c: GoldenCase): IstioIptablesConfig {
  if (c.argv) return parseIstioIptablesArgs(c.argv, { env: c.env ?? {}, nameservers: c.nameservers ?? [] });
  return istioIptablesConfig(c.config);
}

describe('buildIstioRules() against Istio golden files', () => {
  it('every golden file in testdata has a case', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.rules') && !f.endsWith('.v6.rules'));
    expect(files.map((f) => f.replace(/\.rules$/, '')).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))('%s: the generated IPv4 payload equals the golden, line for line', (name, c) => {
    const rules = buildIstioRules(configOf(c));
    expect(payloadLines(rules.v4)).toEqual(payloadLines(read(`${name}.rules`)));
    if (c.v6 !== undefined) expect(payloadLines(rules.v6 ?? '')).toEqual(payloadLines(read(c.v6)));
    else expect(rules.v6).toBeUndefined();
  });

  it.each(Object.entries(CASES))('%s: the generated payload parses as iptables-restore input', (_name, c) => {
    const rules = buildIstioRules(configOf(c));
    expect(() => parseRestore(rules.v4)).not.toThrow();
    if (rules.v6 !== undefined) expect(() => parseRestore(rules.v6 as string, { family: 6 })).not.toThrow();
  });

  it('TPROXY mode asks for the fwmark policy route istio-iptables configures; REDIRECT mode does not', () => {
    expect(buildIstioRules(configOf(CASES['tproxy']!)).policyRoutes).toEqual([{ fwmark: 1337, mask: 0xffffffff }]);
    expect(buildIstioRules(configOf(CASES['default-sidecar']!)).policyRoutes).toEqual([]);
  });

  it('DNS capture without servers is disabled, as Run() warns', () => {
    const withDns = buildIstioRules(istioIptablesConfig({ redirectDNS: true }));
    expect(withDns.v4).toBe(buildIstioRules(istioIptablesConfig()).v4);
  });

  it('capture-all-dns redirects port 53 to any server and zones all DNS conntrack', () => {
    const v4 = buildIstioRules(istioIptablesConfig({ redirectDNS: true, captureAllDNS: true })).v4;
    expect(v4).toContain('-A ISTIO_OUTPUT_DNS -p udp --dport 53 -j REDIRECT --to-port 15053');
    expect(v4).toContain('-A ISTIO_INBOUND -p udp --sport 53 -j CT --zone 1');
  });

  it('an empty owner-group include list returns all outbound traffic (InterceptOnly with no groups)', () => {
    expect(buildIstioRules(istioIptablesConfig({ ownerGroupsInclude: '' })).v4).toContain(
      '-A ISTIO_OUTPUT -j RETURN\n',
    );
  });

  it('refuses "-x *", a non-CIDR range and a non-loopback ISTIO_OUTBOUND_IPV4_LOOPBACK_CIDR', () => {
    expect(() => buildIstioRules(istioIptablesConfig({ outboundIPRangesExclude: '*' }))).toThrow(ConfigError);
    expect(() => buildIstioRules(istioIptablesConfig({ outboundIPRangesInclude: '10.0.0.1' }))).toThrow(/ParsePrefix/);
    expect(() => buildIstioRules(istioIptablesConfig({ hostIPv4LoopbackCidr: '10.0.0.1/32' }))).toThrow(/loopback/);
  });
});
