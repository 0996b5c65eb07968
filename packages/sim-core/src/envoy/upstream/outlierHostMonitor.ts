/**
 * The per-host half of outlier detection: what the router reports about each attempt (an HTTP status, a
 * connect failure, a timeout), the consecutive-error counters with their equals-threshold triggers, and the
 * two-bucket success-rate accumulators. Mirrors `DetectorHostMonitorImpl`, `SuccessRateAccumulator` and
 * `SuccessRateMonitor` (envoyproxy/envoy source/common/upstream/outlier_detection_impl.{h,cc}).
 */
import type { SimTime } from '../../engine/time.js';
import type { DetectorConfig } from './outlierDetectorConfig.js';
import type { Host } from './host.js';

/** `Outlier::Result`: what an attempt's outcome was, as the router and TCP proxy report it. */
export type OutlierResult =
  /** The upstream answered and the transaction succeeded (mapped to 200). */
  | 'ExtOriginRequestSuccess'
  /** The upstream answered with a failure (mapped to 500; 503 in split mode). */
  | 'ExtOriginRequestFailed'
  /** The upstream marked itself degraded (`x-envoy-degraded`); counted as a success. */
  | 'ExtOriginRequestDegraded'
  /** The connection was established; a higher-level result follows (ignored when not split). */
  | 'LocalOriginConnectSuccess'
  /** The connection was established and that is the final result (TCP). */
  | 'LocalOriginConnectSuccessFinal'
  /** Per-try or route timeout (mapped to 504). */
  | 'LocalOriginTimeout'
  /** Connect failure or reset before a response (mapped to 503). */
  | 'LocalOriginConnectFailed';

/** `envoy.data.cluster.v3.OutlierEjectionType`. */
export type EjectionType =
  | 'CONSECUTIVE_5XX'
  | 'CONSECUTIVE_GATEWAY_FAILURE'
  | 'SUCCESS_RATE'
  | 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE'
  | 'SUCCESS_RATE_LOCAL_ORIGIN'
  | 'FAILURE_PERCENTAGE'
  | 'FAILURE_PERCENTAGE_LOCAL_ORIGIN';

/** Which success-rate monitor: external-origin (HTTP codes) or local-origin (connect/timeouts, split mode). */
export type SuccessRateMonitorType = 'ExternalOrigin' | 'LocalOrigin';

/** What a host monitor needs from its detector. */
export interface ConsecutiveErrorSink {
  readonly config: DetectorConfig;
  onConsecutiveError(host: Host, type: EjectionType): void;
}

/** `Http::CodeUtility::is5xx`. */
export const is5xx = (code: number): boolean => code >= 500 && code < 600;
/** `Http::CodeUtility::isGatewayError`: 502, 503, 504. */
export const isGatewayError = (code: number): boolean => code >= 502 && code < 505;

/** `SuccessRateAccumulator`: a bucket being written and the previous interval's, readable. */
class SuccessRateAccumulator {
  private current = { success: 0, total: 0 };
  private backup = { success: 0, total: 0 };

  incTotal(): void {
    this.current.total++;
  }

  incSuccess(): void {
    this.current.success++;
  }

  /** `updateCurrentWriter()`: the written bucket becomes readable; writing restarts on a cleared one. */
  updateCurrentWriter(): void {
    this.backup.success = 0;
    this.backup.total = 0;
    const t = this.current;
    this.current = this.backup;
    this.backup = t;
  }

  /** `getSuccessRateAndVolume()`: `[100 × success / total, total]` of the last full interval. */
  successRateAndVolume(): readonly [rate: number, volume: number] | undefined {
    if (this.backup.total === 0) return undefined;
    return [(this.backup.success * 100.0) / this.backup.total, this.backup.total];
  }
}

/** `DetectorHostMonitorImpl`: one host's outlier state. */
export class DetectorHostMonitor {
  readonly host: Host;
  /** `num_ejections`. */
  numEjections = 0;
  /** `eject_time_backoff`: grows per ejection, decays per healthy interval. */
  ejectTimeBackoff = 0;
  /** Jitter (ms) drawn at the last ejection. */
  jitterMs = 0;
  lastEjectionTime: SimTime | undefined;
  lastUnejectionTime: SimTime | undefined;
  consecutive5xx = 0;
  consecutiveGatewayFailure = 0;
  consecutiveLocalOriginFailure = 0;
  /** Last computed success rates (-1 when none), as `/clusters` shows them. */
  readonly successRates: Record<SuccessRateMonitorType, number> = { ExternalOrigin: -1, LocalOrigin: -1 };
  /** @internal */
  readonly accumulators: Record<SuccessRateMonitorType, SuccessRateAccumulator> = {
    ExternalOrigin: new SuccessRateAccumulator(),
    LocalOrigin: new SuccessRateAccumulator(),
  };
  private readonly sink: ConsecutiveErrorSink;

  constructor(host: Host, sink: ConsecutiveErrorSink) {
    this.host = host;
    this.sink = sink;
  }

  /**
   * `putHttpResponseCode(code)`: a 5xx advances `consecutive_5xx` and, for 502/503/504, also
   * `consecutive_gateway_failure` (a 500 resets the gateway counter); each detection fires when its counter
   * *equals* the threshold, gateway first. Any non-5xx (4xx included) resets both.
   */
  putHttpResponseCode(code: number): void {
    const sr = this.accumulators.ExternalOrigin;
    sr.incTotal();
    if (is5xx(code)) {
      const config = this.sink.config;
      if (isGatewayError(code)) {
        if (++this.consecutiveGatewayFailure === config.consecutiveGatewayFailure) {
          this.sink.onConsecutiveError(this.host, 'CONSECUTIVE_GATEWAY_FAILURE');
        }
      } else {
        this.consecutiveGatewayFailure = 0;
      }
      if (++this.consecutive5xx === config.consecutive5xx) {
        this.sink.onConsecutiveError(this.host, 'CONSECUTIVE_5XX');
      }
    } else {
      sr.incSuccess();
      this.consecutive5xx = 0;
      this.consecutiveGatewayFailure = 0;
    }
  }

  /**
   * `putResult(result, code)`. Not split (default): the code if given, else connect failure → 503,
   * timeout → 504, request failed → 500, successes → 200, `LocalOriginConnectSuccess` ignored — so connect
   * failures and timeouts count as both 5xx and gateway failures. Split: local-origin results drive their own
   * counter and success rate; `ExtOriginRequestFailed` counts as 503.
   */
  putResult(result: OutlierResult, code?: number): void {
    if (this.sink.config.splitExternalLocalOriginErrors) this.putResultSplit(result, code);
    else this.putResultNoSplit(result, code);
  }

  /** `putResponseTime`: Envoy ignores it. */
  putResponseTime(): void {}

  private putResultNoSplit(result: OutlierResult, code: number | undefined): void {
    if (code !== undefined) {
      this.putHttpResponseCode(code);
      return;
    }
    switch (result) {
      case 'ExtOriginRequestSuccess':
      case 'LocalOriginConnectSuccessFinal':
      case 'ExtOriginRequestDegraded':
        return this.putHttpResponseCode(200);
      case 'LocalOriginTimeout':
        return this.putHttpResponseCode(504);
      case 'LocalOriginConnectFailed':
        return this.putHttpResponseCode(503);
      case 'ExtOriginRequestFailed':
        return this.putHttpResponseCode(500);
      case 'LocalOriginConnectSuccess':
        return;
    }
  }

  private putResultSplit(result: OutlierResult, code: number | undefined): void {
    switch (result) {
      case 'LocalOriginConnectSuccess':
      case 'LocalOriginConnectSuccessFinal':
        return this.localOriginNoFailure();
      case 'LocalOriginTimeout':
      case 'LocalOriginConnectFailed':
        return this.localOriginFailure();
      case 'ExtOriginRequestFailed':
        return this.putHttpResponseCode(code ?? 503);
      case 'ExtOriginRequestSuccess':
      case 'ExtOriginRequestDegraded':
        return this.putHttpResponseCode(code ?? 200);
    }
  }

  private localOriginFailure(): void {
    this.accumulators.LocalOrigin.incTotal();
    if (++this.consecutiveLocalOriginFailure === this.sink.config.consecutiveLocalOriginFailure) {
      this.sink.onConsecutiveError(this.host, 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE');
    }
  }

  private localOriginNoFailure(): void {
    this.accumulators.LocalOrigin.incTotal();
    this.accumulators.LocalOrigin.incSuccess();
    this.consecutiveLocalOriginFailure = 0;
  }
}
