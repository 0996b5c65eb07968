import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { parseIstioIptablesArgs } from './args.js';
import { DEFAULT_ISTIO_IPTABLES_CONFIG } from './config.js';

const INJECTED = [
  'istio-iptables',
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
  '--log_output_level=default:info',
];

describe('parseIstioIptablesArgs()', () => {
  it('reads the injection template’s istio-init arguments; the gid defaults to the uid', () => {
    const cfg = parseIstioIptablesArgs(INJECTED);
    expect(cfg).toMatchObject({
      proxyPort: '15001',
      inboundCapturePort: '15006',
      proxyUID: '1337',
      proxyGID: '1337',
      inboundInterceptionMode: 'REDIRECT',
      outboundIPRangesInclude: '*',
      outboundIPRangesExclude: '',
      inboundPortsInclude: '*',
      inboundPortsExclude: '15090,15021,15020',
      redirectDNS: false,
      enableIPv6: false,
    });
  });

  it('accepts pflag spellings: -p15001, -p=15001, --envoy-port=15001, --envoy-port 15001', () => {
    for (const a of [['-p15001'], ['-p=15001'], ['--envoy-port=15001'], ['--envoy-port', '15001']]) {
      expect(parseIstioIptablesArgs(['-p', '1', ...a]).proxyPort).toBe('15001');
    }
  });

  it('reads env first and lets flags win; ISTIO_META_DNS_CAPTURE turns DNS capture on', () => {
    const cfg = parseIstioIptablesArgs(['-z', '16006'], {
      env: {
        INBOUND_CAPTURE_PORT: '17006',
        ISTIO_META_DNS_CAPTURE: 'true',
        ISTIO_OUTBOUND_OWNER_GROUPS_EXCLUDE: '888',
      },
      nameservers: ['10.96.0.10', 'fd00::a'],
    });
    expect(cfg.inboundCapturePort).toBe('16006');
    expect(cfg.redirectDNS).toBe(true);
    expect(cfg.ownerGroupsExclude).toBe('888');
    expect(cfg.dnsServersV4).toEqual(['10.96.0.10']);
    expect(cfg.dnsServersV6).toEqual(['fd00::a']);
  });

  it('boolean flags take no value unless given with =', () => {
    expect(parseIstioIptablesArgs(['--redirect-dns', '-p', '1']).redirectDNS).toBe(true);
    expect(parseIstioIptablesArgs(['--redirect-dns=false']).redirectDNS).toBe(false);
  });

  it('refuses unknown flags as pflag does', () => {
    expect(() => parseIstioIptablesArgs(['--frobnicate'])).toThrow(ConfigError);
    expect(() => parseIstioIptablesArgs(['--frobnicate'])).toThrow('unknown flag: --frobnicate');
    expect(() => parseIstioIptablesArgs(['-y'])).toThrow("unknown shorthand flag: 'y' in -y");
    expect(() => parseIstioIptablesArgs(['-p'])).toThrow('flag needs an argument: --envoy-port');
  });

  it('the defaults are DefaultConfig() as completed in the istio-init container', () => {
    const cfg = parseIstioIptablesArgs([]);
    expect({ ...cfg }).toEqual({ ...DEFAULT_ISTIO_IPTABLES_CONFIG, proxyGID: '1337' });
  });
});
