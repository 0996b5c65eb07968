import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { findVirtualHost, portStart, routeConfigurationErrors } from './virtualHost.js';
import type { RouteConfiguration } from './types.js';

// The virtual hosts of Envoy's RouteMatcherTest.TestRoutes (envoyproxy/envoy
// test/common/router/config_impl_test.cc): exact names, '*.foo.com' and '*-bar.baz.com' in one vhost,
// '*.baz.com' in another, plus a prefix wildcard and the default '*'.
const rc: RouteConfiguration = {
  name: 'test',
  virtualHosts: [
    { name: 'www2', domains: ['www.lyft.com', 'w.lyft.com', 'ww.lyft.com', 'wwww.lyft.com'] },
    { name: 'www2_staging', domains: ['www-staging.lyft.net', 'www-staging-orca.lyft.com'] },
    { name: 'wildcard', domains: ['*.foo.com', '*-bar.baz.com'] },
    { name: 'wildcard2', domains: ['*.baz.com'] },
    { name: 'prefix', domains: ['api.*', 'api.v2.*'] },
    { name: 'default', domains: ['*'] },
  ],
};

const vhostFor = (host: string | undefined, config: RouteConfiguration = rc): string | undefined =>
  findVirtualHost(config, host === undefined ? {} : { ':authority': host })?.virtualHost.name;

describe('findVirtualHost()', () => {
  it.each([
    ['www.lyft.com', 'www2'],
    ['WWW.Lyft.Com', 'www2'], // hosts are case-insensitive
    ['www-staging-orca.lyft.com', 'www2_staging'],
    ['a.foo.com', 'wildcard'],
    ['foo-bar.baz.com', 'wildcard'], // '*-bar.baz.com' is longer than '*.baz.com'
    ['-bar.baz.com', 'wildcard2'], // the '*' must cover at least one character
    ['bar.baz.com', 'wildcard2'],
    ['.foo.com', 'default'],
    ['foo.com', 'default'],
    ['api.example.com', 'prefix'],
    ['api.v2.example.com', 'prefix'],
    ['api.', 'default'],
    ['www.lyft.com:80', 'default'], // the port is part of the host unless ignore_port_in_host_matching
    ['unknown.example.org', 'default'],
  ])('%s → %s', (host, want) => {
    expect(vhostFor(host)).toBe(want);
  });

  it('tells which kind of entry matched, longest wildcard first', () => {
    const m = findVirtualHost(rc, { ':authority': 'x-bar.baz.com' });
    expect(m).toMatchObject({ kind: 'suffix_wildcard', domain: '*-bar.baz.com', index: 2 });
    expect(findVirtualHost(rc, { ':authority': 'api.v2.x' })).toMatchObject({
      kind: 'prefix_wildcard',
      domain: 'api.v2.*',
    });
    expect(findVirtualHost(rc, { ':authority': 'nope' })).toMatchObject({ kind: 'default', domain: '*' });
  });

  it('strips the port only with ignore_port_in_host_matching, keeping IPv6 literals whole', () => {
    const withIgnore = { ...rc, ignorePortInHostMatching: true };
    expect(vhostFor('www.lyft.com:80', withIgnore)).toBe('www2');
    expect(vhostFor('www.lyft.com:12345', withIgnore)).toBe('www2');
    const v6: RouteConfiguration = {
      name: 'v6',
      ignorePortInHostMatching: true,
      virtualHosts: [{ name: 'v6', domains: ['[::1]'] }],
    };
    expect(vhostFor('[::1]:80', v6)).toBe('v6');
    expect(vhostFor('[::1]', v6)).toBe('v6');
    expect(portStart('[::1]')).toBe(-1);
    expect(portStart('a:80')).toBe(1);
  });

  it('has no virtual host without a Host, unless only the default exists', () => {
    expect(vhostFor(undefined)).toBeUndefined();
    expect(vhostFor(undefined, { name: 'd', virtualHosts: [{ name: 'only', domains: ['*'] }] })).toBe('only');
    expect(vhostFor('x', { name: 'none', virtualHosts: [{ name: 'a', domains: ['a'] }] })).toBeUndefined();
  });

  it('reports the configurations Envoy rejects', () => {
    expect(routeConfigurationErrors(rc)).toEqual([]);
    const dup: RouteConfiguration = {
      name: '80',
      virtualHosts: [
        { name: 'a', domains: ['a.com', 'B.com'] },
        { name: 'b', domains: ['b.com'] },
      ],
    };
    expect(routeConfigurationErrors(dup)).toEqual([
      'Only unique values for domains are permitted. Duplicate entry of domain b.com in route 80',
    ]);
    const twoDefaults: RouteConfiguration = {
      name: '80',
      virtualHosts: [
        { name: 'a', domains: ['*'] },
        { name: 'b', domains: ['*'] },
      ],
    };
    expect(routeConfigurationErrors(twoDefaults)).toEqual(['Only a single wildcard domain is permitted in route 80']);
  });
});

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));

describe('findVirtualHost() properties', () => {
  test.prop([host, fc.array(host, { maxLength: 4 })])('an exact domain always beats wildcards', (h, others) => {
    const config: RouteConfiguration = {
      name: 'p',
      virtualHosts: [
        ...others.filter((o) => o !== h).map((o, i) => ({ name: `w${i}`, domains: [`*.${o}`, `${o}.*`] })),
        { name: 'exact', domains: [h] },
        { name: 'default', domains: ['*'] },
      ],
    };
    fc.pre(routeConfigurationErrors(config).length === 0);
    expect(vhostFor(h, config)).toBe('exact');
    expect(vhostFor(h.toUpperCase(), config)).toBe('exact');
  });

  test.prop([fc.array(label, { minLength: 2, maxLength: 5 })])(
    'the longest matching suffix wildcard wins',
    (labels) => {
      const h = labels.join('.');
      // One wildcard per proper suffix of the host: '*.c', '*.b.c', ...
      const suffixes = labels.slice(1).map((_, i) => labels.slice(i + 1).join('.'));
      const config: RouteConfiguration = {
        name: 'p',
        virtualHosts: suffixes.map((s) => ({ name: s, domains: [`*.${s}`] })),
      };
      expect(vhostFor(h, config)).toBe(suffixes[0]);
    },
  );
});
