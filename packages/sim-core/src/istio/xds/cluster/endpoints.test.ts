// EDS endpoints and locality load balancing, after istio/istio@1.29.3 pilot/pkg/xds/endpoints/
// endpoint_builder.go (filterIstioEndpoint, generate) and pilot/pkg/networking/core/loadbalancer/
// loadbalancer.go (applyLocalityFailover, applyLocalityWeights, applyFailoverPriorities) with their tests'
// scenarios.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalityLbEndpoints } from '../../../envoy/config/endpoint.js';
import type { MeshEndpoint, MeshService } from '../../model/registry/types.js';
import { applyLocalityLoadBalancer, lbPriority, localityLbEndpoints } from './endpoints.js';

const svc = (publishNotReadyAddresses = false): MeshService => ({
  hostname: 'r.ns.svc.cluster.local',
  namespace: 'ns',
  name: 'r',
  registry: 'Kubernetes',
  defaultAddress: '10.96.0.1',
  addresses: ['10.96.0.1'],
  ports: [{ name: 'http', port: 80, protocol: 'HTTP' }],
  resolution: 'ClientSideLB',
  meshExternal: false,
  exportTo: '*',
  serviceAccounts: [],
  publishNotReadyAddresses,
  kind: 'Service',
  source: { file: 'x', line: 1, document: 0, lineOf: () => 1 },
});
const ep = (
  address: string,
  locality: string,
  health: MeshEndpoint['healthStatus'] = 'Healthy',
  weight?: number,
): MeshEndpoint => ({
  hostname: 'r.ns.svc.cluster.local',
  serviceNamespace: 'ns',
  servicePortName: 'http',
  servicePort: 80,
  address,
  endpointPort: 8080,
  labels: {},
  serviceAccount: '',
  tlsMode: 'istio',
  locality,
  healthStatus: health,
  ...(weight !== undefined ? { weight } : {}),
  network: '',
  workload: { kind: 'Pod', name: address, namespace: 'ns' },
});

describe('localityLbEndpoints', () => {
  it('groups by locality (sorted), weights each endpoint 1 (or its WorkloadEntry weight), sums per locality', () => {
    const out = localityLbEndpoints(
      [ep('10.0.0.2', 'r1/z2'), ep('10.0.0.1', 'r1/z1'), ep('10.0.0.3', 'r1/z1', 'Healthy', 3)],
      svc(),
      true,
    );
    expect(
      out.map((l) => [
        l.locality,
        l.loadBalancingWeight,
        l.lbEndpoints.map((e) => e.endpoint.address.socketAddress?.address),
      ]),
    ).toEqual([
      [{ region: 'r1', zone: 'z1' }, 4, ['10.0.0.1', '10.0.0.3']],
      [{ region: 'r1', zone: 'z2' }, 1, ['10.0.0.2']],
    ]);
    expect(out[0]?.lbEndpoints[0]?.metadata?.filterMetadata?.['envoy.transport_socket_match']).toEqual({
      tlsMode: 'istio',
    });
  });
  it('leaves out not-ready and terminating endpoints, unless the service publishes not-ready addresses', () => {
    const eps = [ep('10.0.0.1', ''), ep('10.0.0.2', '', 'UnHealthy'), ep('10.0.0.3', '', 'Terminating')];
    expect(localityLbEndpoints(eps, svc(), false)[0]?.lbEndpoints.map((e) => e.healthStatus)).toEqual(['HEALTHY']);
    expect(localityLbEndpoints(eps, svc(true), false)[0]?.lbEndpoints.map((e) => e.healthStatus)).toEqual([
      'HEALTHY',
      'UNHEALTHY',
    ]);
  });
});

describe('applyLocalityLoadBalancer', () => {
  const proxy = { region: 'r1', zone: 'z1', subZone: 's1' };
  const eps: LocalityLbEndpoints[] = ['r1/z1/s1', 'r1/z1/s2', 'r1/z2', 'r2/z1', 'r3/z1'].map((l) => {
    const [region, zone, subZone] = l.split('/');
    return {
      locality: { region, zone, ...(subZone !== undefined ? { subZone } : {}) },
      lbEndpoints: [{ endpoint: { address: { socketAddress: { address: l, portValue: 80 } } } }],
      loadBalancingWeight: 1,
    };
  });
  it('LbPriority: 0 same subzone, 1 same zone, 2 same region, 3 elsewhere', () => {
    expect(eps.map((e) => lbPriority(proxy, e.locality))).toEqual([0, 1, 2, 3, 3]);
  });
  it('with outlier detection (failover): priorities by proximity; a failover target region ranks before the others', () => {
    expect(applyLocalityLoadBalancer(eps, proxy, {}, true).map((e) => e.priority ?? 0)).toEqual([0, 1, 2, 3, 3]);
    expect(
      applyLocalityLoadBalancer(eps, proxy, { failover: [{ from: 'r1', to: 'r3' }] }, true).map((e) => e.priority ?? 0),
    ).toEqual([0, 1, 2, 4, 3]);
  });
  it('without outlier detection: no priorities', () => {
    expect(applyLocalityLoadBalancer(eps, proxy, {}, false).map((e) => e.priority ?? 0)).toEqual([0, 0, 0, 0, 0]);
  });
  it('distribute: weights for the matching localities, nothing for the others', () => {
    const out = applyLocalityLoadBalancer(
      eps,
      proxy,
      { distribute: [{ from: 'r1/*', to: { 'r1/z1/*': 80, 'r2/*': 20 } }] },
      false,
    );
    expect(out.map((e) => e.loadBalancingWeight)).toEqual([40, 40, 1, 20, 1]);
    expect(out.map((e) => e.lbEndpoints.length)).toEqual([1, 1, 0, 1, 0]);
  });
});

interface FailoverPriorityFixture {
  readonly proxyLocality: string;
  readonly suites: readonly {
    readonly name: string;
    readonly failover: readonly { readonly from: string; readonly to: string }[];
    readonly localities: readonly {
      readonly locality: string;
      readonly endpoints: readonly { readonly labels: Readonly<Record<string, string>>; readonly address: string }[];
    }[];
    readonly cases: readonly {
      readonly name: string;
      readonly failoverPriority: readonly string[];
      readonly proxyLabels: Readonly<Record<string, string>>;
      readonly expected: readonly { readonly weight: number; readonly priority: number }[];
    }[];
  }[];
}

describe('failoverPriority (Istio’s TestApplyLocalitySetting cases, testdata/failover-priority.json)', () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, 'testdata', 'failover-priority.json'), 'utf8'),
  ) as FailoverPriorityFixture;
  const [region = '', zone = '', subZone = ''] = fixture.proxyLocality.split('/');
  const proxy = { region, zone, subZone };
  for (const suite of fixture.suites) {
    const eps: LocalityLbEndpoints[] = suite.localities.map((l) => {
      const [r, z, s] = l.locality.split('/');
      return {
        locality: { region: r, zone: z, subZone: s },
        lbEndpoints: l.endpoints.map((e) => ({
          endpoint: { address: { socketAddress: { address: e.address, portValue: 80 } } },
          loadBalancingWeight: 1,
          metadata: { filterMetadata: { meshsim: { labels: e.labels } } },
        })),
        loadBalancingWeight: l.endpoints.length,
      };
    });
    it.each(suite.cases.map((c) => [c.name, c] as const))(`${suite.name}: %s`, (_, c) => {
      const out = applyLocalityLoadBalancer(
        eps,
        proxy,
        { failoverPriority: c.failoverPriority, failover: suite.failover },
        true,
        c.proxyLabels,
      );
      expect(out.map((e) => ({ weight: e.loadBalancingWeight, priority: e.priority ?? 0 }))).toEqual(c.expected);
    });
  }
  it('does nothing without outlier detection, or for a proxy without labels', () => {
    const eps: LocalityLbEndpoints[] = [
      {
        locality: { region: 'r2' },
        lbEndpoints: [
          {
            endpoint: { address: { socketAddress: { address: '1.1.1.1', portValue: 80 } } },
            loadBalancingWeight: 1,
            metadata: { filterMetadata: { meshsim: { labels: { k: 'a' } } } },
          },
        ],
        loadBalancingWeight: 1,
      },
    ];
    const setting = { failoverPriority: ['k'] };
    expect(applyLocalityLoadBalancer(eps, proxy, setting, false, { k: 'b' })).toEqual(eps);
    expect(applyLocalityLoadBalancer(eps, proxy, setting, true, {})).toEqual(eps);
  });
});
