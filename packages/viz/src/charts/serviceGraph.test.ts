import { describe, expect, it } from 'vitest';
import { prettySvg, renderInShim, textsOf } from '../testdata/dom.js';
import { sampleGraph } from '../testdata/sampleModels.js';
import { OKABE_ITO } from './palette.js';
import { serviceGraphChart } from './serviceGraph.js';

describe('serviceGraphChart()', () => {
  const g = sampleGraph();
  const { svg } = renderInShim(g, serviceGraphChart());

  it('draws every workload and every edge', () => {
    expect(Array.from(svg.querySelectorAll('.node')).map((n) => n.getAttribute('data-node'))).toEqual(
      g.nodes.map((n) => n.id),
    );
    expect(svg.querySelectorAll('.edge').length).toBe(g.edges.length);
  });

  it('colours by Kiali’s 5xx thresholds: healthy at 0 %, degraded above 0 %, failure from 10 %', () => {
    const cls = (s: string, t: string): string | null | undefined =>
      Array.from(svg.querySelectorAll('.edge'))
        .find((e) => e.getAttribute('data-source') === s && e.getAttribute('data-target') === t)
        ?.getAttribute('class');
    expect(cls('default/productpage-v1', 'default/details-v1')).toBe('edge healthy');
    expect(cls('default/reviews-v2', 'default/ratings-v1')).toBe('edge degraded');
    expect(cls('default/productpage-v1', 'default/reviews-v3')).toBe('edge failure');
    expect(svg.querySelector('.edge.failure path')?.getAttribute('stroke')).toBe(OKABE_ITO.vermillion);
    expect(textsOf(svg, '.edge-label.failure')).toEqual(['50 rps · 20.0% err']);
  });

  it('badges workloads with the policies acting on them, the manifest in the tooltip', () => {
    const badges = (id: string): string[] =>
      Array.from(svg.querySelectorAll(`.node[data-node="${id}"] .badge text`)).map((t) => t.textContent ?? '');
    expect(badges('default/reviews-v3')).toEqual(['CB', 'OD']);
    expect(badges('default/ratings-v1')).toEqual(['fault']);
    expect(svg.querySelector('.node[data-node="default/ratings-v1"] .badge title')?.textContent).toBe(
      'VirtualService default/ratings http[0].fault\n(vs.yaml:9)',
    );
  });

  it('dashes the box of a gateway and lays callers left of callees', () => {
    const x = (id: string): number =>
      Number(
        /translate\(([-\d.]+),/.exec(
          svg.querySelector(`.node[data-node="${id}"]`)?.getAttribute('transform') ?? '',
        )?.[1],
      );
    expect(svg.querySelector('.node.kind-gateway rect')?.getAttribute('stroke-dasharray')).toBe('4 3');
    expect(x('istio-system/istio-ingressgateway')).toBeLessThan(x('default/productpage-v1'));
    expect(x('default/productpage-v1')).toBeLessThan(x('default/reviews-v2'));
    expect(x('default/reviews-v2')).toBeLessThan(x('default/ratings-v1'));
  });

  it('renders the same markup every time (snapshot)', async () => {
    expect(renderInShim(sampleGraph(), serviceGraphChart()).svg.outerHTML).toBe(svg.outerHTML);
    await expect(prettySvg(svg)).toMatchFileSnapshot('./__snapshots__/serviceGraph.bookinfo.svg');
  });
});
