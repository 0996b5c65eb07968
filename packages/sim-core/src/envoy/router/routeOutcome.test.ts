import { describe, expect, it } from 'vitest';
import { redirectLocation, routeOutcome, NO_ROUTE } from './routeOutcome.js';
import type { Route } from './types.js';

const headers = {
  ':authority': 'example.com:80',
  ':path': '/old/page?x=1',
  ':method': 'GET',
  'x-forwarded-proto': 'http',
};

describe('routeOutcome()', () => {
  it('no route is 404 NR route_not_found', () => {
    expect(routeOutcome(undefined, headers)).toEqual(NO_ROUTE);
    expect(NO_ROUTE).toMatchObject({ status: 404, responseFlags: 'NR', responseCodeDetails: 'route_not_found' });
  });

  it("istiod's block_all virtual host answers 502 directly", () => {
    const blockAll: Route = { name: 'block_all', match: { prefix: '/' }, directResponse: { status: 502 } };
    expect(routeOutcome(blockAll, headers)).toEqual({ kind: 'direct_response', status: 502 });
  });

  it('weighted clusters carry every candidate with its probability', () => {
    const r: Route = {
      match: { prefix: '/' },
      route: {
        weightedClusters: {
          clusters: [
            { name: 'v1', weight: 90 },
            { name: 'v2', weight: 10 },
          ],
        },
      },
    };
    expect(routeOutcome(r, headers)).toEqual({
      kind: 'weighted_clusters',
      candidates: [
        { name: 'v1', weight: 90, probability: 0.9, index: 0 },
        { name: 'v2', weight: 10, probability: 0.1, index: 1 },
      ],
    });
  });

  it('cluster_header names the cluster, else 503', () => {
    const r: Route = { match: { prefix: '/' }, route: { clusterHeader: 'x-cluster' } };
    expect(routeOutcome(r, { ...headers, 'x-cluster': 'foo' })).toMatchObject({ cluster: 'foo' });
    expect(routeOutcome(r, headers)).toMatchObject({ status: 503 });
  });
});

describe('redirectLocation() — RouteEntryImplBase::newUri', () => {
  const route = (redirect: Route['redirect'], prefix = '/old'): Route => ({
    match: { prefix },
    ...(redirect ? { redirect } : {}),
  });
  it.each<[Route['redirect'], string]>([
    // https_redirect drops the default port of the other scheme (:80) and keeps path and query.
    [{ httpsRedirect: true }, 'https://example.com/old/page?x=1'],
    [{ hostRedirect: 'new.example.com' }, 'http://new.example.com/old/page?x=1'],
    [{ portRedirect: 8443, schemeRedirect: 'https' }, 'https://example.com:8443/old/page?x=1'],
    [{ pathRedirect: '/new' }, 'http://example.com:80/new?x=1'],
    [{ prefixRewrite: '/new' }, 'http://example.com:80/new/page?x=1'],
    [{ pathRedirect: '/new', stripQuery: true }, 'http://example.com:80/new'],
  ])('%j → %s', (redirect, want) => {
    expect(redirectLocation(redirect ?? {}, route(redirect), headers)).toBe(want);
  });

  it('defaults to 301', () => {
    expect(routeOutcome(route({ httpsRedirect: true }), headers)).toMatchObject({ kind: 'redirect', status: 301 });
    expect(routeOutcome(route({ httpsRedirect: true, responseCode: 'PERMANENT_REDIRECT' }), headers)).toMatchObject({
      status: 308,
    });
  });
});
