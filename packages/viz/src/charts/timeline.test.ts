import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../model/timeline.js';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleTimeline } from '../testdata/sampleModels.js';
import { OKABE_ITO } from './palette.js';
import { truncate } from './svg.js';
import { timelineChart } from './timeline.js';

describe('timelineChart()', () => {
  const t = sampleTimeline();
  const { svg } = renderInShim(t, timelineChart().width(960));
  const plotW =
    960 -
    Number(
      /translate\(([-\d.]+),/.exec(svg.querySelector('.lane')?.parentElement?.getAttribute('transform') ?? '')?.[1] ??
        NaN,
    ) -
    20;

  it('draws one row per lane, labelled, in the model’s order', () => {
    expect(textsOf(svg, '.lane-label')).toEqual(t.lanes.map((l) => truncate(l.label, 44)));
    expect(textsOf(svg, '.lane > title').map((x) => x.split(':')[0])).toEqual(
      t.lanes.map((l) => l.label.split(':')[0]),
    );
  });

  it('places an ejection span from eject to uneject on a linear time axis', () => {
    const rect = svg.querySelector('.lane-ejections .span:not(.open) rect');
    const x0 = Number(rect?.getAttribute('x'));
    const w = Number(rect?.getAttribute('width'));
    expect(x0 / plotW).toBeCloseTo(12 / 60, 2);
    expect(w / plotW).toBeCloseTo(30 / 60, 2);
    expect(rect?.getAttribute('fill')).toBe(OKABE_ITO.vermillion);
  });

  it('ends a host still ejected at the end of the run with an arrow', () => {
    expect(svg.querySelectorAll('.span.open path').length).toBe(1);
    expect(Array.from(svg.querySelectorAll('.span.open title')).map((x) => x.textContent)[0]).toContain(
      'still ejected at the end',
    );
  });

  it('draws counted events as bars scaled within their row, tallest for the busiest bin', () => {
    const bars = Array.from(svg.querySelectorAll('.lane-overflows .bin rect')).map((r) =>
      Number(r.getAttribute('height')),
    );
    const counts = t.lanes.find((l) => l.kind === 'overflows')?.bins.map((b) => b.count) ?? [];
    expect(bars.length).toBe(counts.length);
    const tallest = Math.max(...bars);
    counts.forEach((c, i) => expect(bars[i]).toBeCloseTo(Math.max(2, (tallest * c) / Math.max(...counts)), 1));
  });

  it('draws config pushes across every row, with their manifest in the tooltip', () => {
    expect(svg.querySelectorAll('.event-rules line').length).toBe(1);
    expect(svg.querySelector('.lane-events .mark title')?.textContent).toContain(
      'decided by VirtualService default/reviews spec.http[0] (reviews.yaml:25)',
    );
  });

  it('says so when nothing happened', () => {
    expect(
      renderInShim(buildTimeline([], { end: 1_000_000 }), timelineChart()).svg.querySelector('.empty')?.textContent,
    ).toBe('no ejections, overflows, faults or config pushes');
  });

  it('renders the same markup every time (snapshot)', async () => {
    expect(renderInShim(sampleTimeline(), timelineChart().width(960)).svg.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/timeline.ejections.svg');
  });
});
