/**
 * An upstream host (an endpoint of a cluster): address, weight, locality, priority, health flags and the
 * per-host stats the load balancers read (`rq_active`). Mirrors Envoy's `HostImpl`
 * (source/common/upstream/upstream_impl.h) restricted to what the simulation needs.
 */
import type { Locality } from '../config/core.js';
import { coarseHealth, healthFlagsToString, type CoarseHealth, type HealthFlagBit } from './healthFlags.js';

/** A stable string for a locality, used to group hosts (`region/zone/subZone`). */
export function localityKey(l: Locality): string {
  return `${l.region ?? ''}/${l.zone ?? ''}/${l.subZone ?? ''}`;
}

/** Envoy's per-host stats (`ALL_HOST_STATS`): counters and the two gauges. */
export interface HostStats {
  cx_connect_fail: number;
  cx_total: number;
  rq_error: number;
  rq_success: number;
  rq_timeout: number;
  rq_total: number;
  /** Gauge: open connections. */
  cx_active: number;
  /** Gauge: requests in flight on this host — what LEAST_REQUEST compares. */
  rq_active: number;
}

/** What a host is built from (an EDS `LbEndpoint` in its locality and priority). */
export interface HostSpec {
  /** IP address, e.g. `10.1.2.3`. */
  readonly address: string;
  readonly port: number;
  /** Endpoint hostname (`use_hostname_for_hashing`); defaults to `address:port`. */
  readonly hostname?: string;
  /** `load_balancing_weight`. @defaultValue 1 */
  readonly weight?: number;
  readonly locality?: Locality;
  /** @defaultValue 0 */
  readonly priority?: number;
  /** Initial health flags (e.g. from EDS health status). @defaultValue 0 */
  readonly healthFlags?: number;
}

/** One upstream host. Mutable state (flags, weight, stats) is changed only by its cluster's components. */
export class Host {
  readonly address: string;
  readonly port: number;
  /**
   * `address:port` (IPv6 in brackets), as Envoy's `address()->asString()` prints it. Formatted once: outcomes
   * and access logs read it per request.
   */
  readonly addressString: string;
  readonly hostname: string;
  readonly locality: Locality;
  readonly priority: number;
  readonly stats: HostStats = {
    cx_connect_fail: 0,
    cx_total: 0,
    rq_error: 0,
    rq_success: 0,
    rq_timeout: 0,
    rq_total: 0,
    cx_active: 0,
    rq_active: 0,
  };
  private weight_: number;
  private flags: number;

  constructor(spec: HostSpec) {
    this.address = spec.address;
    this.port = spec.port;
    this.addressString = formatAddress(spec.address, spec.port);
    this.hostname = spec.hostname ?? this.addressString;
    this.locality = spec.locality ?? {};
    this.priority = spec.priority ?? 0;
    this.weight_ = Math.max(1, spec.weight ?? 1);
    this.flags = spec.healthFlags ?? 0;
  }

  /** `load_balancing_weight`, at least 1. */
  get weight(): number {
    return this.weight_;
  }

  /** `HostImplBase::weight(w)`: Envoy clamps to ≥ 1. Load balancers see it when they next (re)insert the host. */
  set weight(w: number) {
    this.weight_ = Math.max(1, w);
  }

  /** All health flag bits. */
  get healthFlags(): number {
    return this.flags;
  }

  healthFlagGet(flag: HealthFlagBit): boolean {
    return (this.flags & flag) !== 0;
  }

  healthFlagSet(flag: HealthFlagBit): void {
    this.flags |= flag;
  }

  healthFlagClear(flag: HealthFlagBit): void {
    this.flags &= ~flag;
  }

  /** Replaces all flags at once (e.g. an EDS health update). */
  setHealthFlags(flags: number): void {
    this.flags = flags;
  }

  /** `Host::coarseHealth()`. */
  coarseHealth(): CoarseHealth {
    return coarseHealth(this.flags);
  }

  /** e.g. `10.0.0.1:80 healthy` or `10.0.0.1:80 /failed_outlier_check`. */
  toString(): string {
    return `${this.addressString} ${healthFlagsToString(this.flags)}`;
  }
}

function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
