import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster/buildCluster.js';
import { findService } from '../cluster/lookup.js';
import { loadManifestsOrThrow } from '../load/loadManifests.js';
import { candidateNames, resolveClusterDns, searchPath } from './clusterDns.js';

const cluster = buildCluster(
  loadManifestsOrThrow([
    {
      file: 'm.yaml',
      text: [
        'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: bookinfo}\nspec: {selector: {app: reviews}, ports: [{port: 9080}]}',
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: bookinfo}\nspec:\n  serviceName: db\n  replicas: 2\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: mysql, ports: [{containerPort: 3306}]}]}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: bookinfo}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 3306}]}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: bookinfo}\nspec: {type: ExternalName, externalName: api.example.com}',
      ].join('\n---\n'),
    },
  ]),
);

describe('cluster DNS', () => {
  it('candidateNames(): glibc order with ndots:5 — search list first for short names, as-is first for 5+ dots, only as-is with a trailing dot', () => {
    const search = searchPath('bookinfo', 'cluster.local');
    expect(search).toEqual(['bookinfo.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    expect(candidateNames('reviews', search)).toEqual([
      'reviews.bookinfo.svc.cluster.local',
      'reviews.svc.cluster.local',
      'reviews.cluster.local',
      'reviews',
    ]);
    expect(candidateNames('a.b.c.d.e.f', search)[0]).toBe('a.b.c.d.e.f');
    expect(candidateNames('reviews.bookinfo.svc.cluster.local.', search)).toEqual([
      'reviews.bookinfo.svc.cluster.local',
    ]);
  });

  it.each([
    ['reviews'],
    ['reviews.bookinfo'],
    ['reviews.bookinfo.svc'],
    ['reviews.bookinfo.svc.cluster.local'],
    ['reviews.bookinfo.svc.cluster.local.'],
  ])('%s resolves to the ClusterIP', (name) => {
    const a = resolveClusterDns(cluster, name, 'bookinfo');
    expect(a).toMatchObject({
      rcode: 'NOERROR',
      name: 'reviews.bookinfo.svc.cluster.local',
      addresses: [findService(cluster, 'bookinfo', 'reviews')?.clusterIP],
    });
  });

  it('a short name only resolves in its own namespace; other namespaces need name.namespace', () => {
    expect(resolveClusterDns(cluster, 'reviews', 'default').rcode).toBe('NXDOMAIN');
    expect(resolveClusterDns(cluster, 'reviews.bookinfo', 'default').rcode).toBe('NOERROR');
  });

  it('a headless service answers its ready pods; StatefulSet pods get <hostname>.<service> names', () => {
    const pods = cluster.pods.filter((p) => p.namespace === 'bookinfo');
    expect([...resolveClusterDns(cluster, 'db', 'bookinfo').addresses].sort()).toEqual(pods.map((p) => p.podIP).sort());
    expect(resolveClusterDns(cluster, 'db-1.db', 'bookinfo').addresses).toEqual([
      pods.find((p) => p.name === 'db-1')?.podIP,
    ]);
  });

  it('ExternalName is a CNAME; names outside the cluster go upstream', () => {
    const a = resolveClusterDns(cluster, 'ext', 'bookinfo', { 'api.example.com': ['203.0.113.7'] });
    expect(a).toMatchObject({ rcode: 'NOERROR', cname: ['api.example.com'], addresses: ['203.0.113.7'] });
    expect(
      resolveClusterDns(cluster, 'www.example.org', 'bookinfo', { 'www.example.org': ['198.51.100.1'] }),
    ).toMatchObject({ addresses: ['198.51.100.1'], answeredBy: 'upstream' });
    expect(resolveClusterDns(cluster, 'nowhere.example', 'bookinfo').rcode).toBe('NXDOMAIN');
  });
});
