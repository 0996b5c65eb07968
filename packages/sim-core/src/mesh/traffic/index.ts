/** Traffic generators: open loop (Poisson or constant rate) and closed loop (Fortio semantics). */
export { ClosedLoopGenerator, checkClosedLoopSpec, type ClosedLoopSpec } from './closedLoop.js';
export type {
  CompletionObserver,
  GeneratedRequest,
  Generator,
  GeneratorStats,
  TrafficResult,
  TrafficSink,
} from './generator.js';
export { OpenLoopGenerator, checkOpenLoopSpec, type OpenLoopSpec } from './openLoop.js';
export {
  compileRequestMix,
  parseRequestUrl,
  type RequestMix,
  type RequestShape,
  type RequestTemplate,
} from './requestMix.js';
export { describeSource, type TrafficSource } from './source.js';
