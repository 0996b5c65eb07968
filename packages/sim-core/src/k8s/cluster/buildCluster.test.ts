import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { loadManifestsOrThrow } from '../load/loadManifests.js';
import { cidrContains, parseCidr, parseIPv4 } from '../net/ipv4.js';
import { buildCluster } from './buildCluster.js';
import { endpointSlicesOf, findService } from './lookup.js';

const load = (text: string) => loadManifestsOrThrow([{ file: 'm.yaml', text }]);
const deployment = (name: string, extra = '', labels = `app: ${name}`) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  ${extra}
  selector: {matchLabels: {${labels}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers:
      - name: app
        image: nginx
        ports:
        - {name: http-web, containerPort: 8080}
`;

describe('buildCluster()', () => {
  it('names Deployment pods <deployment>-<pod-template-hash>-<5 chars>, with the pod-template-hash label; replicas default to 1', () => {
    const c = buildCluster(load([deployment('web', 'replicas: 3'), deployment('one')].join('---\n')), {
      systemServices: false,
    });
    const web = c.pods.filter((p) => p.workload.name === 'web');
    expect(web).toHaveLength(3);
    const hash = web[0]?.labels['pod-template-hash'] as string;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    for (const p of web) expect(p.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(new Set(web.map((p) => p.name)).size).toBe(3);
    expect(c.pods.filter((p) => p.workload.name === 'one')).toHaveLength(1);
  });

  it('a changed pod template changes the hash (a new ReplicaSet), an unchanged one keeps it', () => {
    const a = buildCluster(load(deployment('web')), { systemServices: false }).pods[0]?.labels['pod-template-hash'];
    const b = buildCluster(load(deployment('web', 'replicas: 2')), { systemServices: false }).pods[0]?.labels[
      'pod-template-hash'
    ];
    const c = buildCluster(load(deployment('web', '', 'app: web, v: "2"')), { systemServices: false }).pods[0]?.labels[
      'pod-template-hash'
    ];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('StatefulSet pods are <name>-<ordinal> with hostname and the governing service as subdomain', () => {
    const c = buildCluster(
      load(
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  serviceName: db\n  replicas: 2\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: mysql}]}\n',
      ),
      { systemServices: false },
    );
    expect(
      c.pods.map((p) => [p.name, p.hostname, p.subdomain, p.labels['statefulset.kubernetes.io/pod-name']]),
    ).toEqual([
      ['db-0', 'db-0', 'db', 'db-0'],
      ['db-1', 'db-1', 'db', 'db-1'],
    ]);
  });

  it("honours status.podIP/hostIP of a dumped pod and does not duplicate its Deployment's pods", () => {
    const dump = `apiVersion: v1
kind: Pod
metadata:
  name: web-7fc7f5758-46mzh
  namespace: shop
  labels: {app: web, pod-template-hash: 7fc7f5758}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7fc7f5758, uid: 5851164e-415d-4dd9-b0a8-27a9942a7995}]
spec: {nodeName: node-2, containers: [{name: app, image: nginx}]}
status: {podIP: 10.244.1.77, hostIP: 172.18.0.3, phase: Running}
`;
    const c = buildCluster(load([deployment('web', 'replicas: 3'), dump].join('---\n')), { systemServices: false });
    expect(c.pods.map((p) => [p.name, p.podIP, p.nodeName, p.existing])).toEqual([
      ['web-7fc7f5758-46mzh', '10.244.1.77', 'node-2', true],
    ]);
  });

  it("gives every pod a unique address inside its node's podCIDR, and every Service a unique ClusterIP in the service CIDR", () => {
    const text =
      Array.from({ length: 12 }, (_, i) => deployment(`app${i}`, `replicas: ${1 + (i % 4)}`)).join('---\n') +
      Array.from(
        { length: 12 },
        (_, i) =>
          `---\napiVersion: v1\nkind: Service\nmetadata: {name: svc${i}, namespace: shop}\nspec: {selector: {app: app${i}}, ports: [{port: 80}]}\n`,
      ).join('');
    const c = buildCluster(load(text));
    const ips = c.pods.map((p) => p.podIP);
    expect(new Set(ips).size).toBe(ips.length);
    for (const p of c.pods) {
      const node = c.nodes.find((n) => n.name === p.nodeName);
      expect(cidrContains(parseCidr(node?.podCIDR ?? ''), parseIPv4(p.podIP) as number)).toBe(true);
    }
    const vips = c.services.map((s) => s.clusterIP);
    expect(new Set(vips).size).toBe(vips.length);
    for (const v of vips) expect(cidrContains(parseCidr('10.96.0.0/12'), parseIPv4(v) as number)).toBe(true);
    expect(findService(c, 'kube-system', 'kube-dns')?.clusterIP).toBe('10.96.0.10');
    expect(findService(c, 'default', 'kubernetes')?.clusterIP).toBe('10.96.0.1');
  });

  it('spreads replicas over the nodes and honours nodeSelector; no matching node leaves the pod Pending', () => {
    const c = buildCluster(load(deployment('web', 'replicas: 3')), { systemServices: false });
    expect(new Set(c.pods.map((p) => p.nodeName)).size).toBe(3);
    const pinned = buildCluster(
      load(
        deployment('web', 'replicas: 2').replace(
          '    spec:\n',
          '    spec:\n      nodeSelector: {topology.kubernetes.io/zone: zone-b}\n',
        ),
      ),
      { systemServices: false },
    );
    expect(pinned.pods.map((p) => p.nodeName)).toEqual(['node-2', 'node-2']);
    expect(pinned.pods.map((p) => p.locality)).toEqual([
      { region: 'region-1', zone: 'zone-b', subzone: '' },
      { region: 'region-1', zone: 'zone-b', subzone: '' },
    ]);
    const nowhere = buildCluster(
      load(deployment('web').replace('    spec:\n', '    spec:\n      nodeSelector: {gpu: "true"}\n')),
      { systemServices: false },
    );
    expect(nowhere.pods.map((p) => [p.phase, p.ready, p.podIP])).toEqual([['Pending', false, '']]);
    expect(nowhere.diagnostics.map((d) => d.code)).toEqual(['PodPending']);
  });

  it('Services: ClusterIP honoured, None is headless, ExternalName has none; targetPort defaults to port', () => {
    const c = buildCluster(
      load(
        [
          'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: shop}\nspec: {clusterIP: 10.100.0.5, selector: {app: web}, ports: [{port: 80}]}',
          'apiVersion: v1\nkind: Service\nmetadata: {name: h, namespace: shop}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}',
          'apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: shop}\nspec: {type: ExternalName, externalName: example.com}',
        ].join('\n---\n'),
      ),
      { systemServices: false },
    );
    expect(c.services.map((s) => [s.name, s.clusterIP, s.ports.map((p) => p.targetPort)])).toEqual([
      ['a', '10.100.0.5', [80]],
      ['h', 'None', [80]],
      ['x', '', []],
    ]);
  });

  it('EndpointSlices: named targetPorts resolve per pod; unready pods are listed not ready; a name no pod has is a diagnostic', () => {
    const text = [
      deployment('web', 'replicas: 2'),
      deployment('slow').replace(
        '  template:\n    metadata: {',
        "  template:\n    metadata: {annotations: {meshsim.io/ready: 'false'}, ",
      ),
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http-web}, {name: metrics, port: 9090, targetPort: metrics}]}\n',
      'apiVersion: v1\nkind: Service\nmetadata: {name: slow, namespace: shop}\nspec: {selector: {app: slow}, ports: [{name: http, port: 80, targetPort: 8080}]}\n',
    ].join('---\n');
    const c = buildCluster(load(text), { systemServices: false });
    const [web] = endpointSlicesOf(c, 'shop', 'web');
    expect(web?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(web?.endpoints).toHaveLength(2);
    expect(c.diagnostics.map((d) => [d.code, d.name, d.field])).toEqual([
      ['TargetPortNotFound', 'web', ['spec', 'ports', 1, 'targetPort']],
    ]);
    const [slow] = endpointSlicesOf(c, 'shop', 'slow');
    expect(slow?.endpoints.map((e) => e.conditions)).toEqual([{ ready: false, serving: false, terminating: false }]);
  });

  test.prop([fc.shuffledSubarray(['a', 'b', 'c', 'd', 'e', 'f'], { minLength: 1 })])(
    'the cluster does not depend on the order of the objects',
    (names) => {
      const docs = names.map((n) => deployment(n, 'replicas: 2'));
      const a = buildCluster(load(docs.join('---\n')), { systemServices: false });
      const b = buildCluster(load([...docs].reverse().join('---\n')), { systemServices: false });
      expect(b.pods.map((p) => [p.name, p.podIP, p.nodeName])).toEqual(
        a.pods.map((p) => [p.name, p.podIP, p.nodeName]),
      );
    },
  );
});
