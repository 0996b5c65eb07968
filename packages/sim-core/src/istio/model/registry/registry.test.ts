import { describe, expect, it } from 'vitest';
import { loadManifestsOrThrow } from '../../../k8s/load/loadManifests.js';
import { buildMeshModel } from '../meshModel.js';
import { virtualMachineFromEnv } from '../vm.js';
import { autoRegisteredName } from './autoRegistration.js';
import { endpointsOf, findServiceByHost, servicesVisibleFrom } from './buildRegistry.js';
import { allocateServiceEntryAddresses } from './vipAllocation.js';
import type { IstioObject, ServiceEntrySpec } from '../config.js';

const model = (text: string, opts = {}) => buildMeshModel(loadManifestsOrThrow([{ file: 'm.yaml', text }]), opts);
const se = (name: string, spec: string, ns = 'default', extra = '') =>
  `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${name}, namespace: ${ns}${extra}}\nspec: ${spec}\n`;

describe('VIP auto-allocation (pilot/pkg/controllers/ipallocate)', () => {
  it("hands out 240.240.0.1, .2, … per host in istiod's config order, skipping what is not eligible", () => {
    const m = model(
      [
        se(
          'a',
          '{hosts: [a.example.com, b.example.com], resolution: DNS, ports: [{number: 80, name: http, protocol: HTTP}]}',
        ),
        se('b', '{hosts: [c.example.com], resolution: NONE, ports: [{number: 80, name: http, protocol: HTTP}]}'),
        se(
          'c',
          '{hosts: ["*.wild.com"], resolution: STATIC, ports: [{number: 80, name: http, protocol: HTTP}], endpoints: [{address: 1.2.3.4}]}',
        ),
        se(
          'd',
          '{hosts: [d.example.com], addresses: [240.240.0.2], resolution: STATIC, ports: [{number: 80, name: http, protocol: HTTP}], endpoints: [{address: 1.1.1.1}]}',
        ),
        se(
          'e',
          '{hosts: [e.example.com], resolution: DNS, ports: [{number: 80, name: http, protocol: HTTP}]}',
          'default',
          ', labels: {networking.istio.io/enable-autoallocate-ip: "false"}',
        ),
        se('f', '{hosts: [f.example.com], resolution: DNS, ports: [{number: 80, name: http, protocol: HTTP}]}'),
      ].join('---\n'),
    );
    expect(m.serviceEntryAddresses.map((a) => [a.name, a.host, a.v4, a.v6])).toEqual([
      ['a', 'a.example.com', '240.240.0.1', '2001:2::1'],
      ['a', 'b.example.com', '240.240.0.3', '2001:2::2'], // .2 is taken by d's spec address
      ['f', 'f.example.com', '240.240.0.4', '2001:2::3'],
    ]);
  });

  it('keeps addresses already in status (a dump) and allocates around them', () => {
    const ses = [
      {
        metadata: { name: 'x', namespace: 'ns' },
        spec: { hosts: ['x.com'], resolution: 'DNS' },
        status: { addresses: [{ host: 'x.com', value: '240.240.0.1' }] },
      },
      { metadata: { name: 'y', namespace: 'ns' }, spec: { hosts: ['y.com'], resolution: 'DNS' } },
    ] as unknown as IstioObject<ServiceEntrySpec>[];
    const got = allocateServiceEntryAddresses(ses);
    expect(got.get('ns/x/x.com')?.v4).toBe('240.240.0.1');
    expect(got.get('ns/y/y.com')?.v4).toBe('240.240.0.2');
    expect(allocateServiceEntryAddresses(ses, false).size).toBe(0);
  });
});

describe('ServiceEntry conversion', () => {
  it('DNS resolution without endpoints: the host itself is the endpoint; resolution defaults to NONE, location to MESH_EXTERNAL', () => {
    const m = model(
      [
        se('ext', '{hosts: [api.example.com], resolution: DNS, ports: [{number: 443, name: tls, protocol: TLS}]}'),
        se('none', '{hosts: [n.example.com], ports: [{number: 80, name: http}]}'),
      ].join('---\n'),
    );
    const ext = findServiceByHost(m.registry, 'api.example.com')!;
    expect([ext.resolution, ext.meshExternal, ext.ports[0]?.protocol]).toEqual(['DNSLB', true, 'TLS']);
    expect(endpointsOf(m.registry, ext).map((e) => [e.address, e.endpointPort, e.tlsMode])).toEqual([
      ['api.example.com', 443, 'disabled'],
    ]);
    const none = findServiceByHost(m.registry, 'n.example.com')!;
    expect([none.resolution, none.ports[0]?.protocol]).toEqual(['Passthrough', 'UnsupportedProtocol']);
  });

  it("static endpoints: port from the endpoint's ports map, else targetPort, else the number; mTLS when a service account is given", () => {
    const m = model(
      se(
        'db',
        '{hosts: [db.internal], location: MESH_INTERNAL, resolution: STATIC, ports: [{number: 5432, name: tcp, protocol: TCP, targetPort: 6432}], endpoints: [{address: 10.0.0.1, ports: {tcp: 7432}, serviceAccount: db}, {address: 10.0.0.2}]}',
      ),
    );
    const svc = findServiceByHost(m.registry, 'db.internal')!;
    expect(endpointsOf(m.registry, svc).map((e) => [e.address, e.endpointPort, e.tlsMode, e.serviceAccount])).toEqual([
      ['10.0.0.1', 7432, 'istio', 'spiffe://cluster.local/ns/default/sa/db'],
      ['10.0.0.2', 6432, 'disabled', ''],
    ]);
  });

  it('exportTo hides a service from other namespaces', () => {
    const m = model(
      se(
        'priv',
        '{hosts: [p.example.com], exportTo: ["."], resolution: DNS, ports: [{number: 80, name: http}]}',
        'team-a',
      ),
    );
    expect(servicesVisibleFrom(m.registry, 'team-a').map((s) => s.hostname)).toContain('p.example.com');
    expect(servicesVisibleFrom(m.registry, 'team-b').map((s) => s.hostname)).not.toContain('p.example.com');
    expect(findServiceByHost(m.registry, 'p.example.com', 'team-b')).toBeUndefined();
  });
});

describe('WorkloadEntries and auto-registration', () => {
  it('autoRegisteredName(): <group>-<address with : replaced>[-<network>]', () => {
    expect(autoRegisteredName('nginx', '192.168.0.204')).toBe('nginx-192.168.0.204');
    expect(autoRegisteredName('nginx', 'fd00::1', 'net1')).toBe('nginx-fd00--1-net1');
  });

  it('a Kubernetes Service selects WorkloadEntries of its namespace (spec.labels), with their ports', () => {
    const m = model(
      [
        'apiVersion: v1\nkind: Service\nmetadata: {name: legacy, namespace: default}\nspec: {selector: {app: legacy}, ports: [{name: http, port: 80, targetPort: 8080}]}\n',
        'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm1, namespace: default}\nspec: {address: 10.10.0.1, labels: {app: legacy}, serviceAccount: legacy, ports: {http: 9090}}\n',
        'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm2, namespace: default, labels: {app: legacy}}\nspec: {address: 10.10.0.2}\n',
      ].join('---\n'),
    );
    const svc = findServiceByHost(m.registry, 'legacy.default.svc.cluster.local')!;
    // vm2 carries the label only in metadata: endpoint labels are spec.labels, so it is not selected.
    expect(endpointsOf(m.registry, svc).map((e) => [e.workload.name, e.address, e.endpointPort, e.tlsMode])).toEqual([
      ['vm1', '10.10.0.1', 9090, 'istio'],
    ]);
  });

  it('a VM whose WorkloadGroup does not exist is a diagnostic, not an entry', () => {
    const vm = virtualMachineFromEnv('vm1', {
      ISTIO_META_AUTO_REGISTER_GROUP: 'missing',
      ISTIO_NAMESPACE: 'default',
      ISTIO_SVC_IP: '10.1.1.1',
    });
    const m = model('apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n', { virtualMachines: [vm] });
    expect(m.istio.workloadEntries).toEqual([]);
    expect(m.diagnostics.map((d) => d.message)).toEqual([
      'auto-registration of VM vm1 failed: cannot find WorkloadGroup default/missing',
    ]);
  });

  it('a group without probe registers an always-healthy entry; labels: template < group metadata < VM', () => {
    const wg =
      'apiVersion: networking.istio.io/v1\nkind: WorkloadGroup\nmetadata: {name: app, namespace: default}\nspec:\n  metadata: {labels: {app: app, tier: group}}\n  template: {serviceAccount: app-sa, labels: {tier: template, keep: yes-template}}\n';
    const vm = virtualMachineFromEnv(
      'vm1',
      {
        ISTIO_META_AUTO_REGISTER_GROUP: 'app',
        ISTIO_NAMESPACE: 'default',
        ISTIO_SVC_IP: '10.1.1.1',
        ISTIO_METAJSON_LABELS: '{"tier":"vm"}',
      },
      { healthy: false },
    );
    const m = model(wg, { virtualMachines: [vm] });
    const we = m.istio.workloadEntries[0];
    expect(we?.metadata.name).toBe('app-10.1.1.1');
    expect(we?.spec.labels).toEqual({ app: 'app', tier: 'vm', keep: 'yes-template' });
    expect(we?.metadata.annotations).toEqual({ 'istio.io/autoRegistrationGroup': 'app' });
  });
});
