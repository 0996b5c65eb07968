import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  validateDuration,
  validateFQDN,
  validateIPSubnet,
  validatePercentage,
  validateRegex,
  validateWildcardDomain,
} from './common.js';
import { hostMatches, hostSubsetOf } from './host.js';

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const domain = fc
  .array(label, { minLength: 1, maxLength: 4 })
  .map((ls) => ls.join('.'))
  .filter((d) => !/^\d+$/.test(d.split('.').pop() ?? ''));

describe('host syntax (agent.ValidateWildcardDomain)', () => {
  test.prop([domain])('DNS names and their *. wildcards are valid', (d) => {
    expect(validateWildcardDomain(d)).toBeUndefined();
    expect(validateWildcardDomain(`*.${d}`)).toBeUndefined();
    expect(validateFQDN(d)).toBeUndefined();
  });

  test.prop([domain, domain])('a * anywhere but the first label is invalid', (a, b) => {
    expect(validateWildcardDomain(`${a}.*.${b}`)).toMatch(/invalid \(label "\*" invalid\)/);
  });

  test.prop([domain])('FQDNs take no wildcard at all', (d) => {
    expect(validateFQDN(`*.${d}`)).toMatch(/label "\*" invalid/);
  });

  it.each([
    ['reviews', undefined],
    ['*', undefined],
    ['*-svc.example.com', undefined],
    ['my_service', 'domain name "my_service" invalid (label "my_service" invalid)'],
    // Istio checks the labels after the first one on their own, so the message names only "123".
    ['example.123', 'domain name "123" invalid (top level domain "123" cannot be all-numeric)'],
    ['', 'empty domain name not allowed'],
    ['istio.io.', undefined],
  ])('%j → %s', (host, error) => expect(validateWildcardDomain(host)).toBe(error));
});

describe('host relations (host.Name Matches/SubsetOf)', () => {
  test.prop([domain, label])('a wildcard covers its subdomains, not the other way round', (d, l) => {
    expect(hostSubsetOf(`${l}.${d}`, `*.${d}`)).toBe(true);
    expect(hostSubsetOf(`*.${d}`, `${l}.${d}`)).toBe(false);
    expect(hostMatches(`*.${d}`, `${l}.${d}`)).toBe(true);
    expect(hostMatches(`${l}.${d}`, `*.${d}`)).toBe(true);
  });
});

describe('durations (agent.ValidateDuration)', () => {
  test.prop([fc.integer({ min: 1, max: 10_000_000 })])('whole milliseconds ≥ 1ms are valid', (n) => {
    expect(validateDuration(`${n}ms`)).toBeUndefined();
  });
  test.prop([fc.integer({ min: 1, max: 10_000_000 }).filter((n) => n % 1000 !== 0)])(
    'sub-millisecond precision is refused',
    (n) => {
      expect(validateDuration(`${n}us`)).toBe(
        n < 1000 ? 'duration must be greater than 1ms' : 'only durations to ms precision are supported',
      );
    },
  );
});

describe('percentages (validatePercentage)', () => {
  test.prop([fc.double({ min: 0, max: 100, noNaN: true })])(
    '0 and [0.0001, 100] are valid, (0, 0.0001) is not',
    (v) => {
      expect(validatePercentage({ value: v }) === undefined).toBe(v === 0 || v >= 0.0001);
    },
  );
  test.prop([
    fc.oneof(
      fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: 100.000001, noNaN: true, noDefaultInfinity: true }),
    ),
  ])('outside 0..100 is refused', (v) => {
    expect(validatePercentage({ value: v })).toMatch(/is neither 0.0, nor in range \[0.0001, 100.0\]/);
  });
});

describe('regexes are RE2, not JavaScript', () => {
  it.each([
    ['/api/v[0-9]+/.*', true],
    ['(?i)^/Reviews', true],
    ['(?P<id>[0-9]+)', true],
    ['/api/(?=internal)', false], // lookahead: JS yes, RE2 no
    ['(?<!x)y', false], // lookbehind
    ['(a)\\1', false], // backreference
    ['a*+', false], // possessive quantifier
    ['(unclosed', false],
  ])('%s valid: %s', (re, valid) => {
    expect(validateRegex(re, 'uri') === undefined).toBe(valid);
  });
  it("reports Istio's message, field first", () => {
    expect(validateRegex('(x', 'uri')).toMatch(
      /^"uri": error parsing regexp: .*; Istio uses RE2 style regex-based match \(https:\/\/github.com\/google\/re2\/wiki\/Syntax\)$/,
    );
    expect(validateRegex('a'.repeat(1025), 'uri')).toBe('"uri": regex is too large, max length allowed is 1024');
  });
});

describe('addresses (agent.ValidateIPSubnet)', () => {
  it.each([
    ['10.0.0.1', undefined],
    ['10.0.0.0/8', undefined],
    ['2001:db8::1', undefined],
    ['2001:db8::/32', undefined],
    ['::ffff:10.0.0.1', undefined],
    ['10.0.0.256', '10.0.0.256 is not a valid IP'],
    ['10.0.0.01', '10.0.0.01 is not a valid IP'],
    ['10.0.0.0/33', '10.0.0.0/33 is not a valid CIDR block'],
    ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9 is not a valid IP'],
  ])('%s → %s', (s, e) => expect(validateIPSubnet(s)).toBe(e));
});
