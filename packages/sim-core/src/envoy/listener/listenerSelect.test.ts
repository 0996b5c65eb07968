import { describe, expect, it } from 'vitest';
import { inspectConnection, evaluatePredicate } from './listenerFilters.js';
import { selectListener } from './listenerSelect.js';
import { FilterNames, type Listener } from './types.js';

const at = (name: string, address: string, port: number, extra: Partial<Listener> = {}): Listener => ({
  name,
  address: { socketAddress: { address, portValue: port } },
  filterChains: [],
  ...extra,
});

// The sidecar layout istiod builds: virtualOutbound binds 15001 with use_original_dst; per-service
// listeners do not bind (bind_to_port false) and are only reached by hand-off.
const listeners: Listener[] = [
  at('virtualOutbound', '0.0.0.0', 15001, { useOriginalDst: true }),
  at('virtualInbound', '0.0.0.0', 15006),
  at('0.0.0.0_80', '0.0.0.0', 80, { bindToPort: false }),
  at('10.96.0.20_3306', '10.96.0.20', 3306, { bindToPort: false }),
];

describe('selectListener()', () => {
  it('hands a redirected connection to the listener on the exact original IP:port', () => {
    const s = selectListener(listeners, '10.96.0.20', 3306, 15001);
    expect(s).toMatchObject({ kind: 'handoff_exact' });
    expect(s.listener?.name).toBe('10.96.0.20_3306');
    expect(s.acceptedBy?.name).toBe('virtualOutbound');
  });
  it('falls back to the wildcard address with the original port', () => {
    expect(selectListener(listeners, '10.96.0.10', 80, 15001).listener?.name).toBe('0.0.0.0_80');
    expect(selectListener(listeners, '10.96.0.10', 80, 15001).kind).toBe('handoff_wildcard');
  });
  it('keeps the connection on the capture listener when nothing listens on the original port', () => {
    expect(selectListener(listeners, '1.2.3.4', 9999, 15001)).toMatchObject({ kind: 'capture' });
    expect(selectListener(listeners, '1.2.3.4', 15001, 15001).listener?.name).toBe('virtualOutbound');
  });
  it('a direct call to 15006 through the outbound capture reaches virtualInbound (its blackhole chain)', () => {
    expect(selectListener(listeners, '10.0.0.5', 15006, 15001).listener?.name).toBe('virtualInbound');
  });
  it('without iptables only listeners that bind a socket accept connections', () => {
    expect(selectListener(listeners, '10.0.0.5', 80)).toEqual({});
    expect(selectListener([at('0.0.0.0_8080', '0.0.0.0', 8080)], '10.0.0.5', 8080).kind).toBe('bound');
  });
});

describe('inspectConnection()', () => {
  const tls = { name: FilterNames.tlsInspector };
  const http = { name: FilterNames.httpInspector };
  const conn = {
    destinationAddress: '10.0.0.5',
    destinationPort: 80,
    sourceAddress: '10.0.0.9',
    sourcePort: 40000,
  };
  it('learns SNI and ALPN only with a TLS inspector', () => {
    const c = { ...conn, transport: 'tls' as const, serverName: 'Foo.Example.com', applicationProtocols: ['h2'] };
    expect(inspectConnection([at('l', '0.0.0.0', 80, { listenerFilters: [tls] })], c).socket).toMatchObject({
      transportProtocol: 'tls',
      serverName: 'foo.example.com',
      applicationProtocols: ['h2'],
    });
    expect(inspectConnection([at('l', '0.0.0.0', 80)], c).socket).toMatchObject({
      transportProtocol: 'raw_buffer',
      serverName: '',
      applicationProtocols: [],
    });
  });
  it('the HTTP inspector sets http/1.1 or h2c on plaintext HTTP, unless disabled for the port', () => {
    const l = at('l', '0.0.0.0', 80, { listenerFilters: [tls, http] });
    const c = { ...conn, transport: 'plaintext' as const, plaintextProtocol: 'h2c' as const };
    expect(inspectConnection([l], c).socket.applicationProtocols).toEqual(['h2c']);
    const disabled = at('l', '0.0.0.0', 80, {
      listenerFilters: [{ ...http, filterDisabled: { destinationPortRange: { start: 80, end: 81 } } }],
    });
    expect(inspectConnection([disabled], c).socket.applicationProtocols).toEqual([]);
    expect(inspectConnection([l], { ...c, plaintextProtocol: 'other' }).socket.applicationProtocols).toEqual([]);
  });
  it('evaluates filter_disabled predicates', () => {
    const p = {
      orMatch: { rules: [{ destinationPortRange: { start: 15000, end: 15001 } }, { notMatch: { anyMatch: true } }] },
    };
    expect(evaluatePredicate(p, 15000)).toBe(true);
    expect(evaluatePredicate(p, 15001)).toBe(false);
  });
});
