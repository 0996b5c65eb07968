/**
 * Every chart sets user strings with `.text()`: markup in resource names, labels or file paths is shown as
 * text and never becomes elements or attributes.
 */
import { describe, expect, it } from 'vitest';
import { renderInShim } from '../testdata/dom.js';
import { sampleFlow, sampleGraph, sampleLatency, sampleSplit, sampleTimeline } from '../testdata/sampleModels.js';
import { latencyCdf } from './cdf.js';
import { flowChart } from './flowChart.js';
import { latencyHistogram } from './latencyHistogram.js';
import { sankeyChart } from './sankey.js';
import { serviceGraphChart } from './serviceGraph.js';
import { timelineChart } from './timeline.js';

const PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const cases: [string, () => SVGSVGElement][] = [
  ['flowChart', () => renderInShim(sampleFlow(PAYLOAD), flowChart()).svg],
  ['sankeyChart', () => renderInShim(sampleSplit(PAYLOAD), sankeyChart().maxChars(200)).svg],
  ['latencyHistogram', () => renderInShim(sampleLatency(PAYLOAD), latencyHistogram()).svg],
  ['latencyCdf', () => renderInShim(sampleLatency(PAYLOAD), latencyCdf()).svg],
  ['timelineChart', () => renderInShim(sampleTimeline(PAYLOAD), timelineChart().maxChars(200)).svg],
  ['serviceGraphChart', () => renderInShim(sampleGraph(PAYLOAD), serviceGraphChart()).svg],
];

describe('charts escape user strings', () => {
  for (const [name, render] of cases) {
    it(`${name}() shows markup as text and creates no element or handler from it`, () => {
      const svg = render();
      expect(svg.querySelectorAll('script, img, foreignObject').length).toBe(0);
      for (const el of Array.from(svg.querySelectorAll('*'))) {
        for (const a of Array.from(el.attributes)) expect(a.name.startsWith('on')).toBe(false);
      }
      // The payload is there, as text (wrapped or cut where the chart fits labels to their space).
      expect(svg.textContent).toContain('<script>alert(1)</script>');
      expect(svg.innerHTML).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  }
});
