import { describe, expect, it } from 'vitest';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleLatency } from '../testdata/sampleModels.js';
import { latencyTicks, latencyScale } from './latencyAxis.js';
import { latencyHistogram } from './latencyHistogram.js';
import { seriesColor } from './palette.js';

describe('latencyHistogram()', () => {
  const series = sampleLatency();
  const { svg } = renderInShim(series, latencyHistogram());

  it('draws one outlined shape per series in its palette colour, and a legend with percentiles', () => {
    const paths = Array.from(svg.querySelectorAll('.series > path'));
    expect(paths.map((p) => p.getAttribute('stroke'))).toEqual([seriesColor(0), seriesColor(1)]);
    expect(textsOf(svg, '.legend-item text')).toEqual([
      'reviews.default v1 — 200 requests · p50 10 ms · p99 15.8 ms',
      'reviews.default v2 — 100 requests · p50 40 ms · p99 126 ms',
    ]);
  });

  it('marks p50 and p99 of each series where the histogram says they are', () => {
    const x = (value: number): number =>
      Number(
        Array.from(svg.querySelectorAll('.series'))
          .flatMap((g) => Array.from(g.querySelectorAll('line.percentile')))
          .find((l) => l.parentElement?.getAttribute('data-series') === 'v2' && l.classList.contains(`p${value}`))
          ?.getAttribute('x1'),
      );
    const scale = latencyScale([10 ** 3.8, 10 ** 5.3], [0, 640 - 52 - 16]);
    expect(x(50)).toBeCloseTo(scale(40_000), 1);
    expect(x(99)).toBeCloseTo(scale(126_000), 1);
  });

  it('labels the log axis in durations at powers of ten (2× and 5× on short ranges)', () => {
    // Buckets span 10^3.8–10^5.3 µs (6.3–200 ms): two decades only, so 2× and 5× ticks join them.
    expect(textsOf(svg, '.axis.x .tick text')).toEqual(['10 ms', '20 ms', '50 ms', '100 ms']);
    expect(latencyTicks(latencyScale([1, 1e7], [0, 1]))).toEqual([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7]);
  });

  it('says so when every series is empty', () => {
    expect(
      renderInShim(
        [{ id: 'e', label: 'e', count: 0, buckets: [], percentiles: [] }],
        latencyHistogram(),
      ).svg.querySelector('.empty')?.textContent,
    ).toBe('no requests');
  });

  it('renders the same markup every time (snapshot)', async () => {
    expect(renderInShim(sampleLatency(), latencyHistogram()).svg.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/latencyHistogram.two-series.svg');
  });
});
