/**
 * @meshsim/viz — chart models (pure data, built from sim-core results) and the d3 charts that draw them:
 * the request-path flow chart, the traffic-split Sankey, latency histograms and CDFs, the timeline and the
 * service graph. The HTML report is the `@meshsim/viz/report` entry (Node: it bundles the charts).
 */
export * from './model/index.js';
export * from './charts/index.js';
