import { describe, expect, it } from 'vitest';
import { loadManifestsOrThrow } from '../../../k8s/load/loadManifests.js';
import { istioConfigFromObjects } from '../config.js';
import { defaultMeshConfig } from '../meshConfig.js';
import { destinationRuleFor } from './destinationRules.js';

const dr = (name: string, ns: string, spec: string) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: ${spec}\n`;
const istio = (...docs: string[]) =>
  istioConfigFromObjects(loadManifestsOrThrow([{ file: 'm.yaml', text: docs.join('---\n') }]));
const mesh = defaultMeshConfig();
const HOST = 'reviews.bookinfo.svc.cluster.local';

describe('destinationRuleFor() (PushContext.destinationRule)', () => {
  it('prefers the client namespace, then the service namespace, then the root namespace', () => {
    const cfg = istio(
      dr('client', 'frontend', `{host: ${HOST}}`),
      dr('svc', 'bookinfo', '{host: reviews}'),
      dr('root', 'istio-system', '{host: "*.svc.cluster.local"}'),
    );
    expect(destinationRuleFor(cfg, mesh, 'frontend', HOST, 'bookinfo')?.from.map((d) => d.metadata.name)).toEqual([
      'client',
    ]);
    expect(destinationRuleFor(cfg, mesh, 'other', HOST, 'bookinfo')?.from.map((d) => d.metadata.name)).toEqual(['svc']);
    expect(
      destinationRuleFor(cfg, mesh, 'other', 'ratings.bookinfo.svc.cluster.local', 'bookinfo')?.from.map(
        (d) => d.metadata.name,
      ),
    ).toEqual(['root']);
  });

  it('honours exportTo and picks the most specific wildcard', () => {
    const cfg = istio(
      dr('private', 'bookinfo', '{host: reviews, exportTo: ["."]}'),
      dr('broad', 'istio-system', '{host: "*.cluster.local"}'),
      dr('narrow', 'istio-system', '{host: "*.bookinfo.svc.cluster.local"}'),
    );
    expect(destinationRuleFor(cfg, mesh, 'bookinfo', HOST, 'bookinfo')?.from.map((d) => d.metadata.name)).toEqual([
      'private',
    ]);
    expect(destinationRuleFor(cfg, mesh, 'frontend', HOST, 'bookinfo')?.from.map((d) => d.metadata.name)).toEqual([
      'narrow',
    ]);
  });

  it('merges rules for the same host (oldest keeps its traffic policy; later ones add new subsets only)', () => {
    const cfg = istio(
      dr(
        'a',
        'bookinfo',
        '{host: reviews, trafficPolicy: {loadBalancer: {simple: RANDOM}}, subsets: [{name: v1, labels: {version: v1}}]}',
      ),
      dr(
        'b',
        'bookinfo',
        '{host: reviews, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}, subsets: [{name: v1, labels: {version: x}}, {name: v2, labels: {version: v2}}]}',
      ),
    );
    const merged = destinationRuleFor(cfg, mesh, 'bookinfo', HOST, 'bookinfo');
    expect(merged?.spec.trafficPolicy?.loadBalancer?.simple).toBe('RANDOM');
    expect(merged?.spec.subsets?.map((s) => [s.name, s.labels?.['version']])).toEqual([
      ['v1', 'v1'],
      ['v2', 'v2'],
    ]);
  });
});
