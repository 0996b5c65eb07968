/**
 * The typed subset of `envoy.extensions.filters.http.fault.v3.HTTPFault` (and the `FractionalPercent`
 * it uses) in proto3 JSON spelling, as istiod's `TranslateFault` emits it into a route's
 * `typedPerFilterConfig["envoy.filters.http.fault"]`.
 */
import type { ProtoDuration } from '../common.js';

/** `envoy.type.v3.FractionalPercent.DenominatorType`. */
export type FractionalPercentDenominator = 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';

/**
 * `envoy.type.v3.FractionalPercent`: `numerator / denominator`. Evaluated as
 * `random() % denominator < numerator` (`ProtobufPercentHelper::evaluateFractionalPercent`).
 */
export interface FractionalPercent {
  /** @defaultValue 0 */
  readonly numerator?: number;
  /** @defaultValue `'HUNDRED'` */
  readonly denominator?: FractionalPercentDenominator;
}

/** The integer value of a denominator (`ProtobufPercentHelper::fractionalPercentDenominatorToInt`). */
export function denominatorValue(d: FractionalPercentDenominator | undefined): number {
  switch (d ?? 'HUNDRED') {
    case 'HUNDRED':
      return 100;
    case 'TEN_THOUSAND':
      return 10_000;
    case 'MILLION':
      return 1_000_000;
  }
}

/** `envoy.extensions.filters.common.fault.v3.FaultDelay`: exactly one of `fixedDelay` / `headerDelay`. */
export interface FaultDelay {
  readonly fixedDelay?: ProtoDuration;
  /** Delay taken from the `x-envoy-fault-delay-request` header (ms). */
  readonly headerDelay?: Record<string, never>;
  /** Unset means 0 %. */
  readonly percentage?: FractionalPercent;
}

/** `envoy.extensions.filters.http.fault.v3.FaultAbort`: exactly one of the error types. */
export interface FaultAbort {
  readonly httpStatus?: number;
  readonly grpcStatus?: number;
  /** Status taken from `x-envoy-fault-abort-request` / `x-envoy-fault-abort-grpc-request`. */
  readonly headerAbort?: Record<string, never>;
  /** Unset means 0 %. */
  readonly percentage?: FractionalPercent;
}

/** A header matcher as the fault filter's `headers` uses it (the common `HeaderMatcher` subset). */
export interface FaultHeaderMatcher {
  readonly name: string;
  readonly presentMatch?: boolean;
  readonly stringMatch?: { readonly exact?: string; readonly prefix?: string; readonly suffix?: string };
  readonly invertMatch?: boolean;
}

/** `envoy.extensions.filters.http.fault.v3.HTTPFault`. */
export interface HTTPFault {
  readonly delay?: FaultDelay;
  readonly abort?: FaultAbort;
  /** Only inject when the route's cluster is this one. */
  readonly upstreamCluster?: string;
  /** All must match for a fault to be considered. */
  readonly headers?: readonly FaultHeaderMatcher[];
  /** Only inject for these `x-envoy-downstream-service-node` values. */
  readonly downstreamNodes?: readonly string[];
  /** Faults active at once in this filter (per listener). @defaultValue unlimited */
  readonly maxActiveFaults?: number;
}
