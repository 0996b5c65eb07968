import { describe, expect, it } from 'vitest';
import { buildTrafficSplit } from '../model/trafficSplit.js';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleSplit } from '../testdata/sampleModels.js';
import { OKABE_ITO } from './palette.js';
import { sankeyChart } from './sankey.js';

describe('sankeyChart()', () => {
  const split = sampleSplit();
  const { svg } = renderInShim(split, sankeyChart().width(960));

  it('draws a node per model node and a link per model link', () => {
    expect(Array.from(svg.querySelectorAll('.node')).map((n) => n.getAttribute('data-node'))).toEqual(
      split.nodes.map((n) => n.id),
    );
    expect(svg.querySelectorAll('.link').length).toBe(split.links.length);
  });

  it('makes link widths proportional to requests', () => {
    const width = (target: string, source?: string): number =>
      Number(
        Array.from(svg.querySelectorAll('.link'))
          .find(
            (l) =>
              l.getAttribute('data-target') === target &&
              (source === undefined || l.getAttribute('data-source') === source),
          )
          ?.querySelector('path')
          ?.getAttribute('stroke-width'),
      );
    const v1 = width('destination:reviews|v1', 'route:default/reviews#1');
    const v2 = width('destination:reviews|v2', 'route:default/reviews#1');
    expect(v1 / v2).toBeCloseTo(850 / 150, 1);
  });

  it('shows declared beside observed under each destination, and marks the skewed one', () => {
    expect(textsOf(svg, 'tspan.declared')).toEqual([
      'observed 85.0% · declared 90% ≠',
      'observed 15.0% · declared 10% ≠',
      'observed 0.0% · declared 0%',
    ]);
    expect(svg.querySelector('tspan.declared.inconsistent')?.getAttribute('fill')).toBe(OKABE_ITO.vermillion);
    expect(textsOf(svg, '.node-count')).toContain('850 · 85.0%');
  });

  it('draws the starved weight-0 destination as a dashed zero-count link', () => {
    const empty = svg.querySelector('.link.empty path');
    expect(empty?.getAttribute('stroke-dasharray')).toBe('4 3');
    expect(svg.querySelector('.link.empty')?.getAttribute('data-target')).toBe('destination:reviews|v3');
  });

  it('explains each link in its tooltip, test and interval included', () => {
    const title = Array.from(svg.querySelectorAll('.link > title'))
      .map((t) => t.textContent ?? '')
      .find((t) => t.includes('reviews.default v2'));
    expect(title).toContain('declared: weight 10 → 10.0%');
    expect(title).toContain('NOT consistent with the declared share (exact binomial test, alpha 0.05)');
    expect(title).toMatch(/observed 15\.0%, 95% interval \d+\.\d%–\d+\.\d%/);
  });

  it('says so when there are no requests', () => {
    const none = renderInShim(buildTrafficSplit({ routes: [], flows: [] }), sankeyChart()).svg;
    expect(none.querySelector('.empty')?.textContent).toBe('no requests');
  });

  it('renders the same markup every time (snapshot)', async () => {
    expect(renderInShim(sampleSplit(), sankeyChart().width(960)).svg.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/sankey.skewed.svg');
  });
});
