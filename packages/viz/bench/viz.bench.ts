/**
 * viz benchmarks. Rows and their same-run baselines:
 * - report: renderReport() of the canary fixture (3 variants, all charts' data) against embedding its data
 *   alone (jsonForScript: the floor any self-contained report pays); the bundle is built once before;
 * - report bundle: esbuild bundling the charts and d3 into the page script (cold, once per process);
 * - sankey / flow chart: drawing into a happy-dom document against the layout alone (d3-sankey's layout for
 *   the Sankey; buildRequestFlow for the flow chart) — what the SVG elements cost on top.
 */
import { performance } from 'node:perf_hooks';
import { sankey as d3Sankey } from 'd3-sankey';
import { select } from 'd3';
import { Window } from 'happy-dom';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import { flowChart } from '../src/charts/flowChart.js';
import { sankeyChart } from '../src/charts/sankey.js';
import { buildRequestFlow } from '../src/model/requestFlow.js';
import { reportRuntime } from '../src/report/bundle.js';
import { jsonForScript } from '../src/report/escape.js';
import { renderReport } from '../src/report/renderReport.js';
import { canaryReportInput } from '../src/testdata/canaryFixture.js';
import { sampleFlow, sampleSplit } from '../src/testdata/sampleModels.js';

const suite: BenchSuite = {
  name: 'viz',
  run({ quick, log }): BenchRow[] {
    const rows: BenchRow[] = [];
    const t0 = performance.now();
    reportRuntime();
    rows.push({
      name: 'viz/report-bundle-esbuild-cold',
      value: (performance.now() - t0) / 1000,
      unit: 's',
      baseline: null,
      ratio: null,
    });
    log('viz: canary fixture');
    const input = canaryReportInput();
    const n = quick ? 3 : 20;
    rows.push(
      ratioRow(
        'viz/report-render-canary-3-variants',
        'reports/s',
        compareRates(
          n,
          () => {
            for (let i = 0; i < n; i++) renderReport(input);
          },
          () => {
            for (let i = 0; i < n; i++) jsonForScript(input);
          },
        ),
        'baseline: embedding the data alone',
      ),
    );
    const window = new Window();
    const div = window.document.createElement('div') as unknown as HTMLElement;
    const split = sampleSplit();
    const m = quick ? 20 : 200;
    rows.push(
      ratioRow(
        'viz/sankey-render-happy-dom',
        'charts/s',
        compareRates(
          m,
          () => {
            for (let i = 0; i < m; i++) select(div).datum(split).call(sankeyChart());
          },
          () => {
            for (let i = 0; i < m; i++) {
              d3Sankey<{ id: string }, object>()
                .nodeId((d) => d.id)
                .extent([
                  [0, 0],
                  [960, 300],
                ])({
                nodes: split.nodes.map((x) => ({ id: x.id })),
                links: split.links
                  .filter((l) => l.count > 0)
                  .map((l) => ({ source: l.source, target: l.target, value: l.count })),
              });
            }
          },
        ),
        'baseline: d3-sankey layout only',
      ),
    );
    const flow = sampleFlow();
    const spec = {
      title: flow.title,
      request: flow.request,
      outbound: flow.hops,
      attempts: [],
      final: [],
      outcome: flow.outcome,
    };
    rows.push(
      ratioRow(
        `viz/flow-chart-render-${flow.hops.length}-hops-happy-dom`,
        'charts/s',
        compareRates(
          m,
          () => {
            for (let i = 0; i < m; i++) select(div).datum(flow).call(flowChart());
          },
          () => {
            for (let i = 0; i < m; i++) buildRequestFlow(spec);
          },
        ),
        'baseline: building the flow model',
      ),
    );
    return rows;
  },
};

export default suite;
