import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parse } from 'yaml';
import { cidrContains, cidrRange, parseIp } from './address.js';
import type { SocketProperties } from './connection.js';
import { findFilterChain, listenerConfigError } from './filterChainMatch.js';
import type { FilterChainMatch, Listener } from './types.js';

interface Case {
  name: string;
  chains: FilterChainMatch[];
  calls: {
    port: number;
    dst: string;
    sni: string;
    transport: string;
    alpn: string[];
    src: string;
    srcPort: number;
    expect: number | null;
  }[];
}

const cases = parse(readFileSync(new URL('./testdata/filter-chain-cases.yaml', import.meta.url), 'utf8')) as Case[];

const listenerOf = (chains: FilterChainMatch[], extra: Partial<Listener> = {}): Listener => ({
  name: 'test',
  address: { socketAddress: { address: '0.0.0.0', portValue: 1234 } },
  filterChains: chains.map((m, i) => ({ name: `chain${i}`, filterChainMatch: m, filters: [] })),
  ...extra,
});

const socket = (s: Partial<SocketProperties>): SocketProperties => ({
  localAddress: '127.0.0.1',
  localPort: 1234,
  remoteAddress: '10.0.0.1',
  remotePort: 40000,
  directRemoteAddress: s.remoteAddress ?? '10.0.0.1',
  transportProtocol: 'raw_buffer',
  serverName: '',
  applicationProtocols: [],
  ...s,
});

describe('findFilterChain() on Envoy listener_manager_impl_test cases', () => {
  for (const c of cases) {
    it(c.name, () => {
      const listener = listenerOf(c.chains);
      expect(listenerConfigError(listener)).toBeUndefined();
      for (const call of c.calls) {
        const got = findFilterChain(
          listener,
          socket({
            localPort: call.port,
            localAddress: call.dst,
            serverName: call.sni,
            transportProtocol: call.transport,
            applicationProtocols: call.alpn,
            remoteAddress: call.src,
            directRemoteAddress: call.src,
            remotePort: call.srcPort,
          }),
        );
        expect({ call, index: got.chain === undefined ? null : got.index }).toEqual({ call, index: call.expect });
      }
    });
  }
});

describe('findFilterChain()', () => {
  it('falls back to the default chain when a port-specific subtree fails, never to port-less chains', () => {
    const listener = listenerOf([{}, { destinationPort: 80, transportProtocol: 'tls' }], {
      defaultFilterChain: { name: 'default', filters: [] },
    });
    const got = findFilterChain(listener, socket({ localPort: 80, transportProtocol: 'raw_buffer' }));
    expect(got.usedDefaultChain).toBe(true);
    expect(got.chain?.name).toBe('default');
    expect(got.steps.map((s) => s.criterion)).toEqual([
      'destination_port',
      'destination_ip',
      'server_name',
      'transport_protocol',
    ]);
  });

  it('reports no_filter_chain when nothing matches and there is no default chain', () => {
    const got = findFilterChain(listenerOf([{ destinationPort: 80 }]), socket({ localPort: 81 }));
    expect(got.error).toBe('no_filter_chain');
    expect(got.chain).toBeUndefined();
  });

  it('rejects listeners whose chains overlap, as Envoy does', () => {
    const same = listenerOf([{ destinationPort: 80 }, { destinationPort: 80 }]);
    expect(listenerConfigError(same)).toMatch(/multiple filter chains with overlapping matching rules/);
    expect(findFilterChain(same, socket({ localPort: 80 })).error).toBe('multiple_filter_chains');
    // Overlap through one shared server name is enough.
    const shared = listenerOf([{ serverNames: ['a.com', 'b.com'] }, { serverNames: ['b.com', 'c.com'] }]);
    expect(listenerConfigError(shared)).toBeDefined();
    // Different prefix lengths are different keys: no overlap.
    const nested = listenerOf([
      { prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }] },
      { prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 16 }] },
    ]);
    expect(listenerConfigError(nested)).toBeUndefined();
  });

  it('rejects partial wildcards in server_names', () => {
    expect(listenerConfigError(listenerOf([{ serverNames: ['foo*.example.com'] }]))).toMatch(/partial wildcards/);
  });

  it('prefers the longest *. wildcard over a shorter one', () => {
    const listener = listenerOf([{ serverNames: ['*.com'] }, { serverNames: ['*.example.com'] }]);
    expect(findFilterChain(listener, socket({ serverName: 'a.b.example.com', transportProtocol: 'tls' })).index).toBe(
      1,
    );
    expect(findFilterChain(listener, socket({ serverName: 'a.foo.com', transportProtocol: 'tls' })).index).toBe(0);
    // '*.example.com' does not match 'example.com' itself.
    expect(findFilterChain(listener, socket({ serverName: 'example.com', transportProtocol: 'tls' })).index).toBe(0);
  });
});

// Soundness: whatever non-default chain is returned satisfies every one of its own criteria.
const ips = ['10.0.0.1', '10.0.1.5', '192.168.0.1', '127.0.0.1', '8.8.8.8'];
const arbRange = fc.record({
  addressPrefix: fc.constantFrom('10.0.0.0', '10.0.1.0', '192.168.0.0', '0.0.0.0', '127.0.0.1'),
  prefixLen: fc.constantFrom(0, 8, 16, 24, 32),
});
const arbMatch: fc.Arbitrary<FilterChainMatch> = fc.record(
  {
    destinationPort: fc.constantFrom(80, 443, 9080),
    prefixRanges: fc.array(arbRange, { maxLength: 2 }),
    serverNames: fc.array(fc.constantFrom('a.example.com', '*.example.com', '*.com', 'b.org'), { maxLength: 2 }),
    transportProtocol: fc.constantFrom('tls', 'raw_buffer'),
    applicationProtocols: fc.array(fc.constantFrom('h2', 'http/1.1', 'istio'), { maxLength: 2 }),
    sourceType: fc.constantFrom('ANY', 'SAME_IP_OR_LOOPBACK', 'EXTERNAL' as const),
    sourcePrefixRanges: fc.array(arbRange, { maxLength: 1 }),
    sourcePorts: fc.array(fc.constantFrom(100, 200), { maxLength: 1 }),
  },
  { requiredKeys: [] },
);
const arbSocket = fc.record({
  localAddress: fc.constantFrom(...ips),
  localPort: fc.constantFrom(80, 443, 9080, 1234),
  remoteAddress: fc.constantFrom(...ips),
  remotePort: fc.constantFrom(100, 200, 300),
  transportProtocol: fc.constantFrom('tls', 'raw_buffer'),
  serverName: fc.constantFrom('', 'a.example.com', 'x.a.example.com', 'b.org', 'c.net'),
  applicationProtocols: fc.array(fc.constantFrom('h2', 'http/1.1', 'istio'), { maxLength: 2 }),
});

function satisfies(m: FilterChainMatch, s: SocketProperties): boolean {
  const inRanges = (rs: FilterChainMatch['prefixRanges'], addr: string): boolean =>
    rs === undefined ||
    rs.length === 0 ||
    rs.some((r) => {
      const c = cidrRange(r.addressPrefix, r.prefixLen);
      const ip = parseIp(addr);
      return c !== undefined && ip !== undefined && cidrContains(c, ip);
    });
  const sni = s.serverName;
  const nameOk =
    m.serverNames === undefined ||
    m.serverNames.length === 0 ||
    m.serverNames.some((n) => (n.startsWith('*.') ? sni.endsWith(n.slice(1)) && sni.length > n.length - 1 : n === sni));
  const local = s.remoteAddress === s.localAddress || s.remoteAddress.startsWith('127.');
  const typeOk = (m.sourceType ?? 'ANY') === 'ANY' || (m.sourceType === 'SAME_IP_OR_LOOPBACK') === local;
  return (
    (m.destinationPort === undefined || m.destinationPort === s.localPort) &&
    inRanges(m.prefixRanges, s.localAddress) &&
    nameOk &&
    (m.transportProtocol === undefined || m.transportProtocol === s.transportProtocol) &&
    (m.applicationProtocols === undefined ||
      m.applicationProtocols.length === 0 ||
      m.applicationProtocols.some((p) => s.applicationProtocols.includes(p))) &&
    typeOk &&
    inRanges(m.sourcePrefixRanges, s.remoteAddress) &&
    (m.sourcePorts === undefined || m.sourcePorts.length === 0 || m.sourcePorts.includes(s.remotePort))
  );
}

describe('findFilterChain() properties', () => {
  test.prop([fc.array(arbMatch, { maxLength: 6 }), arbSocket])(
    'a selected chain satisfies all of its criteria, and the selection never throws',
    (matches, s) => {
      const listener = listenerOf(matches);
      const got = findFilterChain(listener, socket({ ...s, directRemoteAddress: s.remoteAddress }));
      if (got.chain !== undefined && !got.usedDefaultChain) {
        expect(satisfies(matches[got.index] as FilterChainMatch, socket(s))).toBe(true);
      }
      if (listenerConfigError(listener) === undefined) expect(got.error).not.toBe('multiple_filter_chains');
    },
  );

  test.prop([fc.array(arbMatch, { minLength: 1, maxLength: 4 }), arbSocket])(
    'a single chain is found exactly when it satisfies its criteria',
    (matches, s) => {
      const m = matches[0] as FilterChainMatch;
      const got = findFilterChain(listenerOf([m]), socket({ ...s, directRemoteAddress: s.remoteAddress }));
      expect(got.chain !== undefined).toBe(satisfies(m, socket(s)));
    },
  );
});
