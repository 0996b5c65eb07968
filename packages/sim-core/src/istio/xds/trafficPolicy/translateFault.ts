/**
 * istiod's `TranslateFault`, `translatePercentToFractionalPercent` and
 * `translateIntegerToFractionalPercent` (istio/istio pilot/pkg/networking/core/route/route.go): a
 * VirtualService `fault` as Envoy's `HTTPFault`. `percentage.value` (a double, 0–100) becomes
 * `value × 10000` over MILLION — 0.0001 % resolution; the deprecated integer `percent` (delay only) is
 * `percent` over HUNDRED. An abort without `percentage` keeps Envoy's unset percentage: it never fires.
 * Exponential delays are dropped (istiod logs a warning), as are `http2Error` aborts.
 */
import { toProtoDuration } from '../../../envoy/common.js';
import type { FractionalPercent, HTTPFault } from '../../../envoy/config/fault.js';
import type { IstioHTTPFaultInjection } from './types.js';

/** gRPC status names as Istio's `grpcStatus` takes them (`grpc.SupportedGRPCStatus`). */
export const GRPC_STATUS_CODES: Readonly<Record<string, number>> = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
});

/** `translatePercentToFractionalPercent`: `uint32(value × 10000)` over MILLION (Go truncation). */
export function translatePercentToFractionalPercent(p: { readonly value?: number }): FractionalPercent {
  return { numerator: Math.trunc((p.value ?? 0) * 10000), denominator: 'MILLION' };
}

/** `translateIntegerToFractionalPercent`: `percent` over HUNDRED. */
export function translateIntegerToFractionalPercent(percent: number): FractionalPercent {
  return { numerator: percent, denominator: 'HUNDRED' };
}

/** `TranslateFault`: the Envoy fault config of a route, or undefined when nothing is left to inject. */
export function translateFault(fault: IstioHTTPFaultInjection | undefined): HTTPFault | undefined {
  if (fault === undefined) return undefined;
  let delay: HTTPFault['delay'];
  let abort: HTTPFault['abort'];
  const d = fault.delay;
  if (d !== undefined && d.fixedDelay !== undefined) {
    delay = {
      fixedDelay: toProtoDuration(d.fixedDelay, 'fault.delay.fixedDelay'),
      percentage:
        d.percentage !== undefined
          ? translatePercentToFractionalPercent(d.percentage)
          : translateIntegerToFractionalPercent(d.percent ?? 0),
    };
  }
  const a = fault.abort;
  if (a !== undefined) {
    const percentage =
      a.percentage !== undefined ? { percentage: translatePercentToFractionalPercent(a.percentage) } : {};
    if (a.httpStatus !== undefined) abort = { httpStatus: a.httpStatus, ...percentage };
    else if (a.grpcStatus !== undefined && GRPC_STATUS_CODES[a.grpcStatus] !== undefined) {
      abort = { grpcStatus: GRPC_STATUS_CODES[a.grpcStatus] as number, ...percentage };
    }
  }
  if (delay === undefined && abort === undefined) return undefined;
  return { ...(delay !== undefined ? { delay } : {}), ...(abort !== undefined ? { abort } : {}) };
}
