import { describe, expect, it } from 'vitest';
import { formatG32, formatG6, formatShortest } from './numberFormat.js';

// Expected strings are C's printf("%.32g") / printf("%g") of the same doubles (Python's % operator uses the
// C library), which is what fmt's {:.32g} / {:g} print.
describe('Envoy number formatting', () => {
  it.each([
    [5.05, '5.049999999999999822364316059975', '5.05'],
    [0.5, '0.5', '0.5'],
    [3600000, '3600000', '3.6e+06'],
    [1271.15, '1271.1500000000000909494701772928', '1271.15'],
    [12, '12', '12'],
    [0.0001234, '0.00012339999999999999081602697348359', '0.0001234'],
    [1e20, '100000000000000000000', '1e+20'],
    [1.2345678901234568e35, '1.2345678901234568042000158670664e+35', '1.23457e+35'],
    [2.5e-5, '2.5000000000000001198043400596482e-05', '2.5e-05'],
    [99.5, '99.5', '99.5'],
  ])('%d → %%.32g %s, %%g %s', (x, g32, g6) => {
    expect(formatG32(x)).toBe(g32);
    expect(formatG6(x)).toBe(g6);
  });

  it('{} prints nan for NaN and the shortest round-trip form otherwise', () => {
    expect(formatShortest(NaN)).toBe('nan');
    expect(formatShortest(309.925)).toBe('309.925');
    expect(formatShortest(200)).toBe('200');
  });
});
