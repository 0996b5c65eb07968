/**
 * What a simulated world is built from: the mesh model, the applications' behaviour, the traffic, the
 * timed changes, the network, and the knobs of the data plane (proxy cost, Envoy version switches,
 * propagation delays), with the run's seed, end and trace mode.
 */
import type { TraceMode } from '../../engine/trace.js';
import type { Duration, SimTime } from '../../engine/time.js';
import type { AccessLogClock, AccessLogSink } from '../../envoy/observability/accessLog.js';
import type { LatencyHistogramOptions } from '../../envoy/observability/latencyHistogram.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { DistributionSpec } from '../app/distribution.js';
import type { NetworkSpec } from '../network/networkSpec.js';
import type { ProxyLatencySpec } from '../network/proxyLatency.js';
import type { ClosedLoopSpec } from '../traffic/closedLoop.js';
import type { OpenLoopSpec } from '../traffic/openLoop.js';
import type { TimedChange } from './changes.js';
import type { WorkloadSpec } from './workloads.js';

/** A traffic generator: open loop (`rate`) or closed loop (`connections`, Fortio). */
export type TrafficSpec = OpenLoopSpec | ClosedLoopSpec;

/** Envoy behaviour that changed between versions; `current` is the Envoy of Istio 1.29. */
export interface CompatibilityOptions {
  /** @defaultValue `'current'` */
  readonly outlierEjectionRule?: 'current' | 'legacy';
  /** @defaultValue `'current'` */
  readonly retryBackOff?: 'current' | 'legacy';
}

/**
 * How fast the control plane and the kubelet react. Defaults follow Istio's and Kubernetes' defaults:
 * istiod debounces config events for 100 ms (`PILOT_DEBOUNCE_AFTER`, istio/istio pilot/pkg/features/pilot.go)
 * before pushing; each proxy then receives its push after a delay of its own; readiness probes run every 10 s
 * and a pod is unready after 3 failures (`periodSeconds`, `failureThreshold` defaults of the probe API).
 */
export interface DynamicsSpec {
  /** istiod's debounce before a push. @defaultValue 100 ms */
  readonly debounce?: Duration;
  /** Per-proxy push latency after the debounce. @defaultValue lognormal, median 5 ms, p99 50 ms */
  readonly pushDelay?: DistributionSpec;
  /** From a pod being created to its containers running (image pulled, started). @defaultValue 2 s */
  readonly podStartup?: DistributionSpec;
  /** Readiness probe period of pods whose app container declares no `readinessProbe`. @defaultValue 10 s */
  readonly probePeriod?: Duration;
  /** Failed probes before a pod is unready. @defaultValue 3 */
  readonly failureThreshold?: number;
  /** Passed probes before a pod is ready again. @defaultValue 1 */
  readonly successThreshold?: number;
}

/** Options of a {@link World} and of `simulate`. */
export interface WorldOptions {
  readonly model: MeshModel;
  readonly workloads?: readonly WorkloadSpec[];
  readonly traffic?: readonly TrafficSpec[];
  readonly events?: readonly TimedChange[];
  readonly network?: NetworkSpec;
  /** Processing cost of each pass through an Envoy. @defaultValue Istio-calibrated (mesh/network/proxyLatency) */
  readonly proxyLatency?: ProxyLatencySpec;
  /** @defaultValue 1 */
  readonly seed?: string | number;
  /** `records` keeps a hop-level trace for flow charts. @defaultValue `'off'` */
  readonly trace?: TraceMode;
  readonly accessLog?: AccessLogSink;
  readonly accessLogClock?: AccessLogClock;
  /** Called with every outcome as it happens. */
  readonly onOutcome?: (outcome: RequestOutcome) => void;
  readonly histogram?: LatencyHistogramOptions;
  readonly compatibility?: CompatibilityOptions;
  readonly dynamics?: DynamicsSpec;
  /**
   * The address outside clients (gateway and external traffic sources) connect from.
   * @defaultValue `'203.0.113.10'`
   */
  readonly externalClientAddress?: string;
}

/** When a run stops. */
export interface RunLimit {
  /**
   * Run to exactly this time: traffic still flowing is cut (its calls count as in flight), and timers and
   * timed changes run on after traffic ends. Without it the run ends when every generator has finished and
   * every call has ended.
   */
  readonly until?: SimTime;
}
