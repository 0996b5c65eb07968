// istioctl's proxy-config writers, on istioctl's own golden files (testdata/SOURCE.md) and unit cases from
// istio/istio@1.29.3 istioctl/pkg/writer/envoy/configdump/route_test.go (TestDescribeRouteDomains).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterLoadAssignment } from '../../../envoy/config/endpoint.js';
import type { RouteConfiguration } from '../../../envoy/config/route.js';
import { adminHealthStatus, edsSummary } from './clusterSummary.js';
import { describeFilterChainMatch } from './listenerSummary.js';
import { describeRouteDomains, routeSummary } from './routeSummary.js';
import { tabwrite } from './tabwriter.js';

const read = (f: string): string => readFileSync(join(import.meta.dirname, 'testdata', f), 'utf8');
/** A config dump as Envoy prints it (snake_case) in the proto3 JSON spelling meshsim uses (camelCase). */
function camel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camel);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k.startsWith('@') ? k : k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      camel(x),
    ]),
  );
}
function dumpSection<T>(file: string, type: string, dynamicKey: string, staticKey: string, field: string): T[] {
  const d = camel(JSON.parse(read(file))) as { configs: Record<string, unknown>[] };
  const section = d.configs.find((c) => c['@type'] === type) as Record<string, { [k: string]: T }[] | undefined>;
  return [...(section[dynamicKey] ?? []), ...(section[staticKey] ?? [])].map((e) => e[field] as T);
}

describe('tabwrite (Go text/tabwriter, padding p, pad char space)', () => {
  it('pads each column to its widest cell plus padding; the last cell is not padded', () => {
    expect(tabwrite('a\tb\tc\nlonger\tx\ty\n', 1)).toBe('a      b c\nlonger x y\n');
  });
  it('ends a column block at a line with fewer cells', () => {
    expect(tabwrite('aaaa\tb\nc\nd\te\n', 2)).toBe('aaaa  b\nc\nd  e\n');
  });
});

describe('describeRouteDomains', () => {
  it.each([
    [[], ''],
    [['example.com'], 'example.com'],
    [['example.com', 'example.com:8080'], 'example.com'],
    [['example.com', 'example.com:8080', '1.2.3.4', '1.2.3.4:8080'], 'example.com, 1.2.3.4'],
    [
      ['example.com', 'example.com:8080', '[fd00:10:96::7fc7]', '[fd00:10:96::7fc7]:8080'],
      'example.com, [fd00:10:96::7fc7]',
    ],
    [
      [
        'example.com',
        'example.com:8080',
        'www.example.com',
        'www.example.com:8080',
        '[fd00:10:96::7fc7]',
        '[fd00:10:96::7fc7]:8080',
      ],
      'example.com, www.example.com + 1 more...',
    ],
  ])('%j → %s', (domains, want) => {
    expect(describeRouteDomains(domains)).toBe(want);
  });
  it('drops names whose .svc.cluster.local / .svc expansion is listed too', () => {
    expect(describeRouteDomains(['r.default.svc.cluster.local', 'r', 'r.default.svc', 'r.default', '10.0.0.1'])).toBe(
      'r, r.default + 1 more...',
    );
  });
});

describe('routeSummary on istioctl golden config dumps', () => {
  it.each(['empty-gateway', 'istio-gateway-http-route-prefix'])('%s', (name) => {
    const routes = dumpSection<RouteConfiguration>(
      `routes-${name}.configdump.json`,
      'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
      'dynamicRouteConfigs',
      'staticRouteConfigs',
      'routeConfig',
    ).map((r) => ({ ...r, name: r.name ?? '' }));
    expect(routeSummary(routes)).toBe(read(`routes-${name}.output.txt`));
  });
});

describe('edsSummary on istioctl’s golden endpoint dump', () => {
  it('--port 8080', () => {
    const clas = dumpSection<ClusterLoadAssignment>(
      'endpoint.configdump.json',
      'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
      'dynamicEndpointConfigs',
      'staticEndpointConfigs',
      'endpointConfig',
    );
    const socketOnly = clas.map((c) => ({
      ...c,
      endpoints: (c.endpoints ?? []).map((l) => ({
        ...l,
        lbEndpoints: l.lbEndpoints.filter((e) => e.endpoint.address.socketAddress !== undefined),
      })),
    }));
    expect(edsSummary(socketOnly, { port: 8080 }, false)).toBe(read('endpoint-portfilter.output.txt'));
  });
});

describe('describeFilterChainMatch', () => {
  it('summarises SNI, transport, ALPN and address', () => {
    expect(describeFilterChainMatch(undefined)).toBe('ALL');
    expect(describeFilterChainMatch({ destinationPort: 15006 })).toBe('Addr: *:15006');
    expect(
      describeFilterChainMatch({ transportProtocol: 'tls', applicationProtocols: ['istio-peer-exchange', 'istio'] }),
    ).toBe('Trans: tls; App: TCP TLS');
    expect(
      describeFilterChainMatch({
        serverNames: ['a.com', 'b.com'],
        prefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }],
        destinationPort: 443,
      }),
    ).toBe('SNI: a.com,b.com; Addr: 10.0.0.0/8:443');
  });
});

describe('adminHealthStatus (envoy source/server/admin/clusters_handler.cc setHealthFlag)', () => {
  // EDS UNHEALTHY, DRAINING and TIMEOUT set FAILED_EDS_HEALTH, DEGRADED sets DEGRADED_EDS_HEALTH; /clusters
  // reads the flags back, so an endpoint sent without a status (UNKNOWN) is reported HEALTHY.
  it.each([
    [undefined, 'HEALTHY'],
    ['UNKNOWN', 'HEALTHY'],
    ['HEALTHY', 'HEALTHY'],
    ['UNHEALTHY', 'UNHEALTHY'],
    ['DRAINING', 'UNHEALTHY'],
    ['TIMEOUT', 'UNHEALTHY'],
    ['DEGRADED', 'DEGRADED'],
  ] as const)('%s → %s', (eds, admin) => {
    expect(adminHealthStatus(eds)).toBe(admin);
  });
});
