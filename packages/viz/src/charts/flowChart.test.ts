import { describe, expect, it } from 'vitest';
import { buildRequestFlow } from '../model/requestFlow.js';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleFaultFlow, sampleFlow } from '../testdata/sampleModels.js';
import { flowChart } from './flowChart.js';
import { OKABE_ITO } from './palette.js';

describe('flowChart()', () => {
  const flow = sampleFlow();
  const { svg } = renderInShim(flow, flowChart());

  it('draws one list item per hop, labelled as the model says, in order', () => {
    expect(textsOf(svg, '.hop .hop-label').map((t) => t.replace(/ {3}\S.*$/, ''))).toEqual(
      flow.hops.map((h) => h.label),
    );
    expect(Array.from(svg.querySelectorAll('.hop')).map((g) => g.getAttribute('data-stage'))).toEqual(
      flow.hops.map((h) => h.stage),
    );
    expect(svg.querySelector('.hops')?.getAttribute('role')).toBe('list');
  });

  it('gives every hop a tooltip with its full text and the manifest that decided it', () => {
    const titles = Array.from(svg.querySelectorAll('.hop > title')).map((t) => t.textContent ?? '');
    expect(titles).toHaveLength(flow.hops.length);
    const fault = Array.from(renderInShim(sampleFaultFlow(), flowChart()).svg.querySelectorAll('.hop > title')).map(
      (t) => t.textContent ?? '',
    );
    expect(fault.find((t) => t.startsWith('fault: delay'))).toContain(
      'decided by VirtualService default/ratings spec.http[0].fault.delay (reviews.yaml:14)',
    );
    expect(textsOf(svg, '.hop-ref')).toContain('← VirtualService default/reviews spec.http[0] (reviews.yaml:12)');
  });

  it('shows the two tries as blocks and the retry between them, status by shape and colour (a fault delay too)', () => {
    expect(Array.from(svg.querySelectorAll('.try')).map((t) => t.getAttribute('data-try'))).toEqual(['1', '2']);
    const retry = svg.querySelector('.hop.status-retry .hop-mark');
    expect(retry?.getAttribute('fill')).toBe(OKABE_ITO.reddishPurple);
    const delay = renderInShim(sampleFaultFlow(), flowChart()).svg.querySelector('.hop.status-delay');
    expect(delay?.querySelector('.hop-duration')?.textContent).toBe('   5 s');
    expect(delay?.querySelector('.hop-mark')?.getAttribute('fill')).toBe(OKABE_ITO.skyBlue);
    // Failures: cross symbol in vermillion (d3.symbolCross has 12 vertices: 13 path commands with Z).
    const failed = svg.querySelector('.hop.status-error .hop-mark');
    expect(failed?.getAttribute('fill')).toBe(OKABE_ITO.vermillion);
    expect((failed?.getAttribute('d') ?? '').match(/[ML]/g)).toHaveLength(12);
  });

  it('has an accessible name and description, and states the outcome', () => {
    const [titleId, descId] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelector(`#${titleId}`)?.textContent).toBe('Request path: GET http://reviews:9080/reviews/0');
    expect(svg.querySelector(`#${descId}`)?.textContent).toContain('200 after 2 tries in 30.6 ms');
    expect(svg.querySelector('.flow-outcome')?.textContent).toBe('⇒ 200 after 2 tries in 30.6 ms');
  });

  it('draws only the lanes the request uses, unless told to draw all', () => {
    expect(textsOf(svg, '.lane-label').length).toBe(7);
    const local = buildRequestFlow({
      title: 'local reply',
      request: 'r',
      outbound: [
        { lane: 'client-app', stage: 'app', label: 'a' },
        { lane: 'client-envoy', stage: 'router', label: 'local reply 404 NR', status: 'error' },
      ],
      attempts: [],
      final: [],
      outcome: { status: 404, responseFlags: 'NR' },
    });
    expect(renderInShim(local, flowChart()).svg.querySelectorAll('.lanes > text').length).toBe(2);
    expect(renderInShim(local, flowChart().allLanes(true)).svg.querySelectorAll('.lanes > text').length).toBe(7);
    expect(flowChart().laneWidth(40).laneWidth()).toBe(40);
  });

  it('renders the same markup every time (snapshot)', async () => {
    const again = renderInShim(sampleFlow(), flowChart()).svg;
    expect(again.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/flowChart.retry.svg');
    await expect(prettySvg(renderInShim(sampleFaultFlow(), flowChart()).svg)).toMatchFileSnapshot(
      './__snapshots__/flowChart.fault-delay.svg',
    );
  });
});
