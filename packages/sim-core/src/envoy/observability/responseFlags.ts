/**
 * Envoy's access-log response flags (`%RESPONSE_FLAGS%`). Several flags print comma-joined in the order of
 * Envoy's flag table, so a request delayed and then aborted by the fault filter logs `DI,FI`, and one that
 * hit the retry limit after an overflow logs `UO,URX`. Mirrors `ResponseFlagUtils::CORE_RESPONSE_FLAGS`
 * (formerly `ALL_RESPONSE_STRINGS_FLAGS`) and `ResponseFlagUtils::toShortString` in
 * envoyproxy/envoy source/common/stream_info/utility.{h,cc}.
 */

/** One response flag: its short (access-log) and long names. */
export interface ResponseFlagInfo {
  readonly short: string;
  readonly long: string;
}

/**
 * Every flag in Envoy's print order (`CORE_RESPONSE_FLAGS`). Short names are what access logs show; long
 * names what `%RESPONSE_FLAGS_LONG%` shows.
 */
export const ALL_RESPONSE_STRINGS_FLAGS: readonly ResponseFlagInfo[] = Object.freeze([
  { short: 'LH', long: 'FailedLocalHealthCheck' },
  { short: 'UH', long: 'NoHealthyUpstream' },
  { short: 'UT', long: 'UpstreamRequestTimeout' },
  { short: 'LR', long: 'LocalReset' },
  { short: 'UR', long: 'UpstreamRemoteReset' },
  { short: 'UF', long: 'UpstreamConnectionFailure' },
  { short: 'UC', long: 'UpstreamConnectionTermination' },
  { short: 'UO', long: 'UpstreamOverflow' },
  { short: 'NR', long: 'NoRouteFound' },
  { short: 'DI', long: 'DelayInjected' },
  { short: 'FI', long: 'FaultInjected' },
  { short: 'RL', long: 'RateLimited' },
  { short: 'UAEX', long: 'UnauthorizedExternalService' },
  { short: 'RLSE', long: 'RateLimitServiceError' },
  { short: 'DC', long: 'DownstreamConnectionTermination' },
  { short: 'URX', long: 'UpstreamRetryLimitExceeded' },
  { short: 'SI', long: 'StreamIdleTimeout' },
  { short: 'IH', long: 'InvalidEnvoyRequestHeaders' },
  { short: 'DPE', long: 'DownstreamProtocolError' },
  { short: 'UMSDR', long: 'UpstreamMaxStreamDurationReached' },
  { short: 'RFCF', long: 'ResponseFromCacheFilter' },
  { short: 'NFCF', long: 'NoFilterConfigFound' },
  { short: 'DT', long: 'DurationTimeout' },
  { short: 'UPE', long: 'UpstreamProtocolError' },
  { short: 'NC', long: 'NoClusterFound' },
  { short: 'OM', long: 'OverloadManagerTerminated' },
  { short: 'DF', long: 'DnsResolutionFailed' },
  { short: 'DO', long: 'DropOverload' },
  { short: 'DR', long: 'DownstreamRemoteReset' },
]);

/** A response flag's short name, e.g. `'UO'`. */
export type ResponseFlag =
  | 'LH'
  | 'UH'
  | 'UT'
  | 'LR'
  | 'UR'
  | 'UF'
  | 'UC'
  | 'UO'
  | 'NR'
  | 'DI'
  | 'FI'
  | 'RL'
  | 'UAEX'
  | 'RLSE'
  | 'DC'
  | 'URX'
  | 'SI'
  | 'IH'
  | 'DPE'
  | 'UMSDR'
  | 'RFCF'
  | 'NFCF'
  | 'DT'
  | 'UPE'
  | 'NC'
  | 'OM'
  | 'DF'
  | 'DO'
  | 'DR';

const BIT: ReadonlyMap<string, number> = new Map(ALL_RESPONSE_STRINGS_FLAGS.map((f, i) => [f.short, 1 << i]));

/** True when `s` is a known short flag name. */
export function isResponseFlag(s: string): s is ResponseFlag {
  return BIT.has(s);
}

/**
 * The set of flags one request accumulated (Envoy's `StreamInfo::setResponseFlag`), printed in Envoy's
 * order. `toString()` gives `-` for none, as `%RESPONSE_FLAGS%` does.
 */
export class ResponseFlags {
  private bits = 0;

  // No default `[]`: every stream's info makes one of these, and an empty iteration still costs an iterator.
  constructor(flags?: Iterable<ResponseFlag>) {
    if (flags !== undefined) for (const f of flags) this.set(f);
  }

  /** Adds a flag (idempotent). */
  set(flag: ResponseFlag): this {
    this.bits |= BIT.get(flag) as number;
    return this;
  }

  has(flag: ResponseFlag): boolean {
    return (this.bits & (BIT.get(flag) as number)) !== 0;
  }

  /** The set as a bit mask (bit i: the i-th flag of {@link ALL_RESPONSE_STRINGS_FLAGS}), for cheap keys. */
  get mask(): number {
    return this.bits;
  }

  /** True when no flag is set. */
  get empty(): boolean {
    return this.bits === 0;
  }

  /** The set flags' short names in Envoy's order. */
  list(): ResponseFlag[] {
    const out: ResponseFlag[] = [];
    // Only as far as the highest set bit: most sets are empty (every stream asks) or hold one low flag.
    for (let i = 0, b = this.bits; b !== 0; i++, b >>>= 1) {
      if (b & 1) out.push((ALL_RESPONSE_STRINGS_FLAGS[i] as ResponseFlagInfo).short as ResponseFlag);
    }
    return out;
  }

  /** Adds every flag of `other` (idempotent). */
  setAll(other: ResponseFlags): this {
    this.bits |= other.bits;
    return this;
  }

  /** `%RESPONSE_FLAGS%`: comma-joined short names, or `-`. */
  toString(): string {
    return this.bits === 0 ? '-' : this.list().join(',');
  }

  /** `%RESPONSE_FLAGS_LONG%`: comma-joined long names, or `-`. */
  toLongString(): string {
    if (this.bits === 0) return '-';
    const out: string[] = [];
    for (let i = 0, b = this.bits; b !== 0; i++, b >>>= 1) {
      if (b & 1) out.push((ALL_RESPONSE_STRINGS_FLAGS[i] as ResponseFlagInfo).long);
    }
    return out.join(',');
  }
}

/** Formats flags as `%RESPONSE_FLAGS%` would, whatever order they are given in: `formatResponseFlags(['FI','DI'])` is `DI,FI`. */
export function formatResponseFlags(flags: Iterable<ResponseFlag>): string {
  return new ResponseFlags(flags).toString();
}
