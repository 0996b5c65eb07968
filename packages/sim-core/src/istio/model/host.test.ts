import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { hostMatches, hostSubsetOf, resolveShortname } from './host.js';

// istio/istio@1.29.2 pkg/config/host/name_test.go TestNameMatches.
describe('hostMatches()', () => {
  it.each([
    ['empty', '', '', true],
    ['mixed case', 'a.facebook.com', '*.facebook.COM', false],
    ['first empty', '', 'foo.com', false],
    ['second empty', 'foo.com', '', false],
    ['wildcard matches anything', '*', 'foo.com', true],
    ['wildcard matches anything', '*', '*.com', true],
    ['wildcard matches anything', '*', 'com', true],
    ['wildcard matches anything', '*', '*', true],
    ['wildcard matches anything', '*', '', true],
    ['wildcarded domain matches wildcarded subdomain', '*.com', '*.foo.com', true],
    ['wildcarded sub-domain does not match domain', 'foo.com', '*.foo.com', false],
    ['wildcarded sub-domain does not match domain - order does not matter', '*.foo.com', 'foo.com', false],
    ['long wildcard does not match short host', '*.foo.bar.baz', 'baz', false],
    ['long wildcard does not match short host - order does not matter', 'baz', '*.foo.bar.baz', false],
    ['long wildcard matches short wildcard', '*.foo.bar.baz', '*.baz', true],
    ['long name matches short wildcard', 'foo.bar.baz', '*.baz', true],
  ] as const)('%s: %s ~ %s', (_, a, b, want) => {
    expect(hostMatches(a, b)).toBe(want);
  });

  const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
  const host = fc.oneof(
    name,
    name.map((n) => `*.${n}`),
    fc.constant('*'),
  );
  test.prop([host, host])('is symmetric', (a, b) => {
    expect(hostMatches(a, b)).toBe(hostMatches(b, a));
  });
  test.prop([host, host])('SubsetOf implies Matches', (a, b) => {
    if (hostSubsetOf(a, b)) expect(hostMatches(a, b)).toBe(true);
  });
});

describe('resolveShortname()', () => {
  it('expands only dot-less names, relative to the namespace of the config', () => {
    expect(resolveShortname('reviews', 'bookinfo')).toBe('reviews.bookinfo.svc.cluster.local');
    expect(resolveShortname('reviews.default', 'bookinfo')).toBe('reviews.default'); // Istio does not expand it
    expect(resolveShortname('*', 'bookinfo')).toBe('*');
    expect(resolveShortname('10.0.0.1', 'bookinfo')).toBe('10.0.0.1');
    expect(resolveShortname('nginx.example.com', 'x')).toBe('nginx.example.com');
  });
});
