/**
 * `model/`: chart data, pure and DOM-free — the request-path flow, the traffic-split Sankey, latency
 * series, the timeline, the service graph and the report's input — and the adapters that build them from
 * sim-core's explanations, netfilter traces, outcome aggregates, outlier events and Istio metrics.
 */
export * from './format.js';
export * from './sourceRef.js';
export * from './explanationLike.js';
export * from './requestFlow.js';
export * from './netfilterSteps.js';
export * from './explanationSteps.js';
export * from './flowFromExplanation.js';
export * from './trafficSplit.js';
export * from './splitRoutes.js';
export * from './latency.js';
export * from './timeline.js';
export * from './traceAdapters.js';
export * from './traceRecord.js';
export * from './traceSamples.js';
export * from './runTrace.js';
export * from './serviceGraph.js';
export * from './serviceGraphAdapters.js';
export * from './outcomeAdapters.js';
export * from './report.js';
