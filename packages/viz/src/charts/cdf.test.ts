import { describe, expect, it } from 'vitest';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleLatency } from '../testdata/sampleModels.js';
import { latencyCdf, tailCoordinate } from './cdf.js';

/** The y coordinates of a path's vertices. */
const ys = (d: string): number[] => Array.from(d.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)).map((m) => Number(m[2]));

describe('latencyCdf()', () => {
  it('climbs from the bottom (0 %) to the top (100 %) of the plot, never down', () => {
    const { svg } = renderInShim(sampleLatency(), latencyCdf());
    const plotH = 280 - 16 - 44;
    for (const p of Array.from(svg.querySelectorAll('.series path'))) {
      const y = ys(p.getAttribute('d') ?? '');
      expect(y[0]).toBeCloseTo(plotH, 1);
      expect(y.at(-1)).toBeCloseTo(0, 1);
      for (let i = 1; i < y.length; i++) expect(y[i] as number).toBeLessThanOrEqual((y[i - 1] as number) + 1e-9);
    }
  });

  it('on the tail axis, places 90 %, 99 %, 99.9 % evenly (−log10(1 − q)) and caps at 99.99 %', () => {
    expect(tailCoordinate(0.9)).toBeCloseTo(1, 12);
    expect(tailCoordinate(0.99)).toBeCloseTo(2, 12);
    expect(tailCoordinate(0.999)).toBeCloseTo(3, 12);
    expect(tailCoordinate(1)).toBe(4);
    const { svg } = renderInShim(sampleLatency(), latencyCdf().tail(true));
    expect(textsOf(svg, '.axis.y .tick text')).toEqual(['0%', '90%', '99%', '99.9%', '99.99%']);
    const tickY = Array.from(svg.querySelectorAll('.axis.y .tick')).map((t) =>
      Number(/translate\(0,([-\d.]+)\)/.exec(t.getAttribute('transform') ?? '')?.[1]),
    );
    const gaps = tickY.slice(1).map((y, i) => (tickY[i] as number) - y);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0] as number, 6);
  });

  it('strokes series with the style it is given', () => {
    const { svg } = renderInShim(
      sampleLatency(),
      latencyCdf().seriesStyle((_s, i) => ({ color: i === 0 ? '#000000' : '#0072B2', dash: '2 2' })),
    );
    expect(
      Array.from(svg.querySelectorAll('.series path')).map((p) => [
        p.getAttribute('stroke'),
        p.getAttribute('stroke-dasharray'),
      ]),
    ).toEqual([
      ['#000000', '2 2'],
      ['#0072B2', '2 2'],
    ]);
  });

  it('renders the same markup every time (snapshot)', async () => {
    const { svg } = renderInShim(sampleLatency(), latencyCdf().tail(true));
    expect(renderInShim(sampleLatency(), latencyCdf().tail(true)).svg.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/cdf.tail.svg');
  });
});
