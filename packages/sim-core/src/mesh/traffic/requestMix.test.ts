import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.js';
import { ConfigError } from '../../errors.js';
import { binomialAcceptance } from '../../testing/stats.js';
import { compileRequestMix, parseRequestUrl } from './requestMix.js';

describe('parseRequestUrl()', () => {
  it.each([
    ['http://productpage:9080/productpage', 'http', 'productpage:9080', '/productpage'],
    ['http://reviews', 'http', 'reviews', '/'],
    ['https://httpbin.org/status/418?x=1', 'https', 'httpbin.org', '/status/418?x=1'],
    ['http://10.0.0.7:8080?q', 'http', '10.0.0.7:8080', '/?q'],
  ])('%s → scheme, authority as written, path', (url, scheme, authority, path) => {
    expect(parseRequestUrl(url)).toEqual({ scheme, authority, path });
  });

  it.each(['reviews:9080/x', 'ftp://a/', 'http:///x', 'http://a b/'])('rejects %s with a ConfigError', (url) => {
    expect(() => parseRequestUrl(url, { field: 'traffic.mix[0].url' })).toThrow(ConfigError);
  });
});

describe('compileRequestMix()', () => {
  test.prop([fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 5 })])(
    'each template is picked with probability weight/Σ; weight 0 is never picked (exact binomial, alpha = 1e-4)',
    (weights) => {
      fc.pre(weights.some((w) => w > 0));
      const mix = compileRequestMix(weights.map((weight, i) => ({ url: `http://svc-${i}/`, weight })));
      const rng = new RngStreams(`mix/${weights.join(',')}`).stream('mix');
      const n = 3000;
      const counts = new Array<number>(weights.length).fill(0);
      for (let i = 0; i < n; i++) counts[mix.shapes.indexOf(mix.pick(rng))]!++;
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, i) => {
        const { lower, upper } = binomialAcceptance(n, w / total, 1e-4);
        expect(counts[i]).toBeGreaterThanOrEqual(lower);
        expect(counts[i]).toBeLessThanOrEqual(upper);
      });
    },
  );

  it('lower-cases header names and defaults method, weight and body', () => {
    const mix = compileRequestMix([{ url: 'http://a/', headers: { 'End-User': 'jason' } }]);
    expect(mix.shapes[0]).toEqual({
      method: 'GET',
      scheme: 'http',
      authority: 'a',
      path: '/',
      headers: { 'end-user': 'jason' },
      bodyBytes: 0,
    });
  });

  it.each([
    ['no templates', []],
    ['all weights zero', [{ url: 'http://a/', weight: 0 }]],
    ['a negative weight', [{ url: 'http://a/', weight: -1 }]],
  ])('rejects %s', (_, templates) => {
    expect(() => compileRequestMix(templates)).toThrow(ConfigError);
  });
});
