/** The deterministic discrete-event engine: time, the event queue, named RNG streams and the trace. */
export { Digest, digestOf } from './digest.js';
export { EventQueue, Priority, ScheduledEvent, type EventHandler } from './eventQueue.js';
export { fixedRandom, lognormalSigma, RandomStream, RngStreams, type RandomSource } from './rng.js';
export { Simulation, type RunOptions, type RunSummary, type SimulationOptions } from './simulation.js';
export {
  formatDuration,
  HOUR,
  MICROSECOND,
  MILLISECOND,
  MINUTE,
  ms,
  parseDuration,
  s,
  SECOND,
  toMillis,
  toSeconds,
  us,
  type Duration,
  type SimTime,
} from './time.js';
export { Trace, type TraceMode, type TraceRecord } from './trace.js';
