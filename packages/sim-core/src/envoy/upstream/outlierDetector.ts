/**
 * Outlier detection for one cluster: consecutive-error detections eject at once (subject to the
 * max-ejection-percent rule and the enforcement percentage); every `interval` a tick un-ejects hosts whose
 * `min(base × backoff, max) + jitter` has passed, runs the success-rate and failure-percentage detectors and
 * decays the backoff of hosts that stayed in. Mirrors `DetectorImpl` (envoyproxy/envoy
 * source/common/upstream/outlier_detection_impl.cc). Hosts are visited in insertion order where Envoy walks
 * a hash map.
 */
import { Priority } from '../../engine/eventQueue.js';
import type { RandomSource } from '../../engine/rng.js';
import type { SimTime } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import { featureEnabled, type Clock, type Dispatcher, type TimerHandle } from '../common.js';
import type { OutlierDetection } from '../config/cluster.js';
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import { detectorConfig, type DetectorConfig, type MaxEjectionPercentRule } from './outlierDetectorConfig.js';
import { DetectorHostMonitor, type EjectionType, type SuccessRateMonitorType } from './outlierHostMonitor.js';
import { processSuccessRateEjections, type SuccessRateNumbers } from './outlierSuccessRate.js';
import type { PrioritySet } from './prioritySet.js';

/** `ALL_OUTLIER_DETECTION_STATS`, under `cluster.<name>.outlier_detection.`. */
export interface OutlierDetectionStats {
  ejections_consecutive_5xx: number;
  ejections_detected_consecutive_5xx: number;
  ejections_detected_consecutive_gateway_failure: number;
  ejections_detected_success_rate: number;
  ejections_detected_failure_percentage: number;
  ejections_enforced_consecutive_5xx: number;
  ejections_enforced_consecutive_gateway_failure: number;
  ejections_enforced_success_rate: number;
  ejections_enforced_failure_percentage: number;
  ejections_detected_consecutive_local_origin_failure: number;
  ejections_enforced_consecutive_local_origin_failure: number;
  ejections_detected_local_origin_success_rate: number;
  ejections_enforced_local_origin_success_rate: number;
  ejections_detected_local_origin_failure_percentage: number;
  ejections_enforced_local_origin_failure_percentage: number;
  ejections_enforced_total: number;
  ejections_overflow: number;
  ejections_success_rate: number;
  ejections_total: number;
  /** Gauge: hosts currently ejected. */
  ejections_active: number;
}

function zeroStats(): OutlierDetectionStats {
  return {
    ejections_consecutive_5xx: 0,
    ejections_detected_consecutive_5xx: 0,
    ejections_detected_consecutive_gateway_failure: 0,
    ejections_detected_success_rate: 0,
    ejections_detected_failure_percentage: 0,
    ejections_enforced_consecutive_5xx: 0,
    ejections_enforced_consecutive_gateway_failure: 0,
    ejections_enforced_success_rate: 0,
    ejections_enforced_failure_percentage: 0,
    ejections_detected_consecutive_local_origin_failure: 0,
    ejections_enforced_consecutive_local_origin_failure: 0,
    ejections_detected_local_origin_success_rate: 0,
    ejections_enforced_local_origin_success_rate: 0,
    ejections_detected_local_origin_failure_percentage: 0,
    ejections_enforced_local_origin_failure_percentage: 0,
    ejections_enforced_total: 0,
    ejections_overflow: 0,
    ejections_success_rate: 0,
    ejections_total: 0,
    ejections_active: 0,
  };
}

const DETECTED: Record<EjectionType, keyof OutlierDetectionStats> = {
  CONSECUTIVE_5XX: 'ejections_detected_consecutive_5xx',
  CONSECUTIVE_GATEWAY_FAILURE: 'ejections_detected_consecutive_gateway_failure',
  SUCCESS_RATE: 'ejections_detected_success_rate',
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE: 'ejections_detected_consecutive_local_origin_failure',
  SUCCESS_RATE_LOCAL_ORIGIN: 'ejections_detected_local_origin_success_rate',
  FAILURE_PERCENTAGE: 'ejections_detected_failure_percentage',
  FAILURE_PERCENTAGE_LOCAL_ORIGIN: 'ejections_detected_local_origin_failure_percentage',
};
const ENFORCED: Record<EjectionType, keyof OutlierDetectionStats> = {
  CONSECUTIVE_5XX: 'ejections_enforced_consecutive_5xx',
  CONSECUTIVE_GATEWAY_FAILURE: 'ejections_enforced_consecutive_gateway_failure',
  SUCCESS_RATE: 'ejections_enforced_success_rate',
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE: 'ejections_enforced_consecutive_local_origin_failure',
  SUCCESS_RATE_LOCAL_ORIGIN: 'ejections_enforced_local_origin_success_rate',
  FAILURE_PERCENTAGE: 'ejections_enforced_failure_percentage',
  FAILURE_PERCENTAGE_LOCAL_ORIGIN: 'ejections_enforced_local_origin_failure_percentage',
};

/** One ejection or un-ejection, as Envoy's outlier event log records it. */
export interface OutlierEvent {
  readonly time: SimTime;
  readonly action: 'EJECT' | 'UNEJECT';
  readonly host: Host;
  /** Ejection type; absent for un-ejections. */
  readonly type?: EjectionType;
  /** False when detected but not enforced (`enforcing_*` said no). */
  readonly enforced: boolean;
}

/** What an {@link OutlierDetector} is built from. */
export interface OutlierDetectorOptions {
  readonly prioritySet: PrioritySet;
  /** The cluster's `outlierDetection`. */
  readonly config?: OutlierDetection;
  /** Draws the ejection jitter (one per enforced ejection) and enforcement percentages. */
  readonly random: RandomSource;
  /** Arms the interval timer (LATE priority, so a tick sees the instant's responses first). */
  readonly dispatcher?: Dispatcher;
  /** The clock when there is no dispatcher; the caller then calls {@link OutlierDetector.onIntervalTimer}. */
  readonly clock?: Clock;
  /** @defaultValue `'current'` */
  readonly maxEjectionPercentRule?: MaxEjectionPercentRule;
  /** Receives every ejection and un-ejection (Envoy's outlier event log). */
  readonly eventLogger?: (e: OutlierEvent) => void;
}

/** `Outlier::DetectorImpl`. */
export class OutlierDetector {
  readonly config: DetectorConfig;
  readonly stats: OutlierDetectionStats = zeroStats();
  /** Success-rate mean and ejection threshold of the last tick, per monitor type (-1 when not computed). */
  readonly successRateNumbers: Record<SuccessRateMonitorType, SuccessRateNumbers> = {
    ExternalOrigin: { average: -1, ejectionThreshold: -1 },
    LocalOrigin: { average: -1, ejectionThreshold: -1 },
  };
  private readonly monitors = new Map<Host, DetectorHostMonitor>();
  private readonly callbacks: ((host: Host) => void)[] = [];
  private readonly random: RandomSource;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly clock: Clock;
  private readonly eventLogger: ((e: OutlierEvent) => void) | undefined;
  private readonly unsubscribe: () => void;
  private timer: TimerHandle | undefined;

  constructor(options: OutlierDetectorOptions) {
    this.config = detectorConfig(options.config, options.maxEjectionPercentRule);
    this.random = options.random;
    this.dispatcher = options.dispatcher;
    const clock = options.dispatcher ?? options.clock;
    if (clock === undefined) throw new InvariantError('OutlierDetector needs a dispatcher or a clock');
    this.clock = clock;
    this.eventLogger = options.eventLogger;
    for (const host of options.prioritySet.allHosts()) this.addHostMonitor(host);
    this.unsubscribe = options.prioritySet.addMemberUpdateCb((added, removed) => {
      for (const h of added) if (!this.monitors.has(h)) this.addHostMonitor(h);
      for (const h of removed) {
        if (!this.monitors.has(h)) continue;
        if (h.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) this.stats.ejections_active--;
        this.monitors.delete(h);
      }
    });
    this.armIntervalTimer();
  }

  /** The monitor the router reports a host's results to (`host->outlierDetector()`). */
  monitor(host: Host): DetectorHostMonitor {
    const m = this.monitors.get(host);
    if (m === undefined) throw new InvariantError(`host ${host.addressString} is not monitored by this detector`);
    return m;
  }

  /**
   * The monitor of a host still in the cluster, or undefined for one an EDS update removed while a request
   * to it was in flight. Envoy keeps the removed host's monitor alive (the host owns it) but the detector
   * ignores its events: `onConsecutiveErrorWorker` returns when the host is no longer in `host_monitors_`
   * (envoyproxy/envoy source/common/upstream/outlier_detection_impl.cc) — so reporting to nobody is the same.
   */
  monitorIfPresent(host: Host): DetectorHostMonitor | undefined {
    return this.monitors.get(host);
  }

  /** Monitored hosts, in insertion order. */
  get hosts(): Host[] {
    return [...this.monitors.keys()];
  }

  /** `addChangedStateCb`: called after each ejection and un-ejection (the cluster rebuilds its host sets). */
  addChangedStateCb(cb: (host: Host) => void): void {
    this.callbacks.push(cb);
  }

  /** Stops the interval timer and forgets the priority set. */
  dispose(): void {
    this.timer?.cancel();
    this.unsubscribe();
  }

  /**
   * The successful-active-health-check hook (`addHostCheckCompleteCb` in `DetectorImpl::initialize`): a host
   * that passes an active check while ejected is un-ejected at once, when
   * `successful_active_health_check_uneject_host` (default true).
   */
  onHealthCheckComplete(host: Host, healthy: boolean): void {
    if (!this.config.successfulActiveHealthCheckUnejectHost || !healthy) return;
    if (host.healthFlagGet(HealthFlag.FAILED_ACTIVE_HC) || !host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) return;
    if (!this.monitors.has(host)) return;
    this.unejectHost(host);
  }

  /** @internal Called by host monitors when a consecutive counter reaches its threshold. */
  onConsecutiveError(host: Host, type: EjectionType): void {
    // DetectorImpl::onConsecutiveErrorWorker; Envoy posts it to the main thread, the simulation runs it now.
    const m = this.monitors.get(host);
    if (m === undefined) return;
    // Already ejected: the counter is not reset and runs past the threshold (no new trigger until reset).
    if (host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) return;
    this.stats[DETECTED[type]]++;
    this.ejectHost(host, type);
    if (type === 'CONSECUTIVE_5XX') {
      this.stats.ejections_consecutive_5xx++;
      m.consecutive5xx = 0;
    } else if (type === 'CONSECUTIVE_GATEWAY_FAILURE') m.consecutiveGatewayFailure = 0;
    else if (type === 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE') m.consecutiveLocalOriginFailure = 0;
  }

  /** `DetectorImpl::onIntervalTimer`: un-eject due hosts, success-rate passes, backoff decay, re-arm. */
  onIntervalTimer(): void {
    const now = this.clock.now;
    for (const [host, m] of this.monitors) {
      this.checkHostForUneject(host, m, now);
      m.accumulators.ExternalOrigin.updateCurrentWriter();
      m.accumulators.LocalOrigin.updateCurrentWriter();
      m.successRates.ExternalOrigin = -1;
      m.successRates.LocalOrigin = -1;
    }
    for (const type of ['ExternalOrigin', 'LocalOrigin'] as const) {
      const detected = processSuccessRateEjections(this.config, this.monitors, type);
      this.successRateNumbers[type] = detected.numbers;
      for (const d of detected.ejections) {
        if (d.type === 'SUCCESS_RATE' || d.type === 'SUCCESS_RATE_LOCAL_ORIGIN') this.stats.ejections_success_rate++;
        this.stats[DETECTED[d.type]]++;
        // Envoy asserts a host is never ejected twice; one found by both detectors is ejected once.
        if (!d.host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) this.ejectHost(d.host, d.type);
      }
    }
    const interval = this.config.intervalMs * 1000;
    for (const [host, m] of this.monitors) {
      // A host back in for a whole interval earns one step of backoff back.
      if (host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) continue;
      if (m.lastUnejectionTime !== undefined && now - m.lastUnejectionTime >= interval && m.ejectTimeBackoff !== 0) {
        m.ejectTimeBackoff--;
      }
    }
    this.armIntervalTimer();
  }

  /**
   * `DetectorImpl::ejectHost`: the max-ejection-percent rule over all monitored hosts (all priorities), then
   * the enforcement percentage; an enforced ejection sets FAILED_OUTLIER_CHECK, draws the jitter (always one
   * `random()`, even with no jitter configured) and grows the backoff while `backoff × base < max + base`.
   */
  private ejectHost(host: Host, type: EjectionType): void {
    const c = this.config;
    const maxPercent = Math.min(100, c.maxEjectionPercent);
    const active = this.stats.ejections_active;
    const n = this.monitors.size;
    let shouldEject: boolean;
    if (c.maxEjectionPercentRule === 'legacy') {
      shouldEject = (100.0 * active) / n < maxPercent;
    } else {
      shouldEject = (100.0 * (active + 1)) / n <= maxPercent;
      if (c.alwaysEjectOneHost) shouldEject = active === 0 || shouldEject;
    }
    if (!shouldEject) {
      this.stats.ejections_overflow++;
      return;
    }
    if (type === 'CONSECUTIVE_5XX' || type === 'SUCCESS_RATE') this.stats.ejections_total++;
    if (!featureEnabled(this.enforcingPercent(type), this.random)) {
      this.eventLogger?.({ time: this.clock.now, action: 'EJECT', host, type, enforced: false });
      return;
    }
    const m = this.monitor(host);
    this.stats.ejections_active++;
    this.stats.ejections_enforced_total++;
    this.stats[ENFORCED[type]]++;
    host.healthFlagSet(HealthFlag.FAILED_OUTLIER_CHECK);
    m.numEjections++;
    m.lastEjectionTime = this.clock.now;
    m.jitterMs = this.random.random() % (c.maxEjectionTimeJitterMs + 1);
    if (m.ejectTimeBackoff * c.baseEjectionTimeMs < c.maxEjectionTimeMs + c.baseEjectionTimeMs) m.ejectTimeBackoff++;
    this.runCallbacks(host);
    this.eventLogger?.({ time: this.clock.now, action: 'EJECT', host, type, enforced: true });
  }

  private checkHostForUneject(host: Host, m: DetectorHostMonitor, now: SimTime): void {
    if (!host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) return;
    const c = this.config;
    const ejectMs = Math.min(c.baseEjectionTimeMs * m.ejectTimeBackoff, c.maxEjectionTimeMs) + m.jitterMs;
    if (ejectMs * 1000 <= now - (m.lastEjectionTime as SimTime)) this.unejectHost(host);
  }

  /** `DetectorImpl::unejectHost`: clears the flag and every consecutive counter. */
  private unejectHost(host: Host): void {
    const m = this.monitor(host);
    this.stats.ejections_active--;
    host.healthFlagClear(HealthFlag.FAILED_OUTLIER_CHECK);
    m.consecutive5xx = 0;
    m.consecutiveGatewayFailure = 0;
    m.consecutiveLocalOriginFailure = 0;
    m.lastUnejectionTime = this.clock.now;
    this.runCallbacks(host);
    this.eventLogger?.({ time: this.clock.now, action: 'UNEJECT', host, enforced: true });
  }

  private enforcingPercent(type: EjectionType): number {
    const c = this.config;
    switch (type) {
      case 'CONSECUTIVE_5XX':
        return c.enforcingConsecutive5xx;
      case 'CONSECUTIVE_GATEWAY_FAILURE':
        return c.enforcingConsecutiveGatewayFailure;
      case 'SUCCESS_RATE':
        return c.enforcingSuccessRate;
      case 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE':
        return c.enforcingConsecutiveLocalOriginFailure;
      case 'SUCCESS_RATE_LOCAL_ORIGIN':
        return c.enforcingLocalOriginSuccessRate;
      case 'FAILURE_PERCENTAGE':
        return c.enforcingFailurePercentage;
      case 'FAILURE_PERCENTAGE_LOCAL_ORIGIN':
        return c.enforcingFailurePercentageLocalOrigin;
    }
  }

  private addHostMonitor(host: Host): void {
    this.monitors.set(host, new DetectorHostMonitor(host, this));
  }

  private runCallbacks(host: Host): void {
    for (const cb of this.callbacks) cb(host);
  }

  private armIntervalTimer(): void {
    if (this.dispatcher === undefined) return;
    this.timer = this.dispatcher.schedule(
      this.config.intervalMs * 1000,
      () => this.onIntervalTimer(),
      Priority.LATE,
      'outlier_detection.interval',
    );
  }
}
