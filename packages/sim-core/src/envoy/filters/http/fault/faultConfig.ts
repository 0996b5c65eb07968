/**
 * The fault filter's settings, resolved from `HTTPFault`: which requests qualify (upstream cluster,
 * downstream nodes, header matchers), the delay and abort providers (fixed, or read from
 * `x-envoy-fault-*` request headers) and their percentages. Mirrors `FaultSettings`
 * (envoyproxy/envoy source/extensions/filters/http/fault/fault_filter.cc) and `FaultDelayConfig` /
 * `FaultAbortConfig` / `HeaderPercentageProvider` (source/extensions/filters/common/fault/fault_config.cc).
 */
import { ConfigError } from '../../../../errors.js';
import { firstHeaderValue, parseUnsignedHeader, protoDurationToMs, type HeaderMap } from '../../../common.js';
import { denominatorValue, type FractionalPercent, type HTTPFault } from '../../../config/fault.js';
import { matchRetryHeader } from '../../../router/retryPolicy.js';

/** Header names of header-controlled faults (`Filters::Common::Fault::HeaderNames`). */
export const FaultHeaders = {
  delayRequest: 'x-envoy-fault-delay-request',
  delayRequestPercentage: 'x-envoy-fault-delay-request-percentage',
  abortRequest: 'x-envoy-fault-abort-request',
  abortGrpcRequest: 'x-envoy-fault-abort-grpc-request',
  abortRequestPercentage: 'x-envoy-fault-abort-request-percentage',
} as const;

/** A percentage as the filter evaluates it: `random() % denominator < numerator`. */
export interface ResolvedPercent {
  readonly numerator: number;
  readonly denominator: number;
}

function resolvePercent(p: FractionalPercent | undefined): ResolvedPercent {
  return { numerator: p?.numerator ?? 0, denominator: denominatorValue(p?.denominator) };
}

/**
 * `HeaderPercentageProvider::percentage`: a numeric `…-percentage` header lowers the numerator to
 * `min(header, configured)`, keeping the configured denominator; a missing or bad header changes nothing.
 */
function headerPercentage(configured: ResolvedPercent, headers: HeaderMap, name: string): ResolvedPercent {
  const n = parseUnsignedHeader(firstHeaderValue(headers, name));
  if (n === undefined || n > 0xffffffff) return configured;
  return { numerator: Math.min(n, configured.numerator), denominator: configured.denominator };
}

/** The resolved delay fault. */
export interface DelaySettings {
  /** Fixed delay in ms, or undefined for a header-controlled delay. */
  readonly fixedMs: number | undefined;
  readonly percentage: ResolvedPercent;
}

/** The resolved abort fault. */
export interface AbortSettings {
  readonly httpStatus: number | undefined;
  readonly grpcStatus: number | undefined;
  /** Status taken from request headers (`header_abort`). */
  readonly fromHeaders: boolean;
  readonly percentage: ResolvedPercent;
}

/** `FaultSettings`. */
export class FaultSettings {
  readonly delay: DelaySettings | undefined;
  readonly abort: AbortSettings | undefined;
  readonly upstreamCluster: string | undefined;
  readonly downstreamNodes: ReadonlySet<string>;
  readonly maxActiveFaults: number | undefined;
  private readonly headers: HTTPFault['headers'];

  constructor(fault: HTTPFault) {
    if (fault.delay !== undefined) {
      const d = fault.delay;
      if (d.fixedDelay === undefined && d.headerDelay === undefined) {
        throw new ConfigError('fault delay needs fixedDelay or headerDelay', { field: 'delay' });
      }
      this.delay = {
        fixedMs: d.fixedDelay !== undefined ? protoDurationToMs(d.fixedDelay, 'delay.fixedDelay') : undefined,
        percentage: resolvePercent(d.percentage),
      };
    }
    if (fault.abort !== undefined) {
      const a = fault.abort;
      if (a.httpStatus === undefined && a.grpcStatus === undefined && a.headerAbort === undefined) {
        throw new ConfigError('fault abort needs httpStatus, grpcStatus or headerAbort', { field: 'abort' });
      }
      if (a.httpStatus !== undefined && (a.httpStatus < 200 || a.httpStatus >= 600)) {
        throw new ConfigError(`fault abort httpStatus must be in [200, 600) (got ${a.httpStatus})`, {
          field: 'abort.httpStatus',
        });
      }
      this.abort = {
        httpStatus: a.httpStatus,
        grpcStatus: a.grpcStatus,
        fromHeaders: a.headerAbort !== undefined,
        percentage: resolvePercent(a.percentage),
      };
    }
    this.upstreamCluster = fault.upstreamCluster === '' ? undefined : fault.upstreamCluster;
    this.downstreamNodes = new Set(fault.downstreamNodes ?? []);
    this.maxActiveFaults = fault.maxActiveFaults;
    this.headers = fault.headers;
  }

  /** `matchHeaders(headers, filterHeaders())`: every configured matcher matches. */
  matchesHeaders(headers: HeaderMap): boolean {
    const matchers = this.headers;
    if (matchers === undefined) return true;
    for (const m of matchers) if (!matchRetryHeader(m, headers)) return false;
    return true;
  }

  /** The delay percentage for this request (header-controlled delays honour the percentage header). */
  delayPercentage(headers: HeaderMap): ResolvedPercent | undefined {
    const d = this.delay;
    if (d === undefined) return undefined;
    return d.fixedMs !== undefined
      ? d.percentage
      : headerPercentage(d.percentage, headers, FaultHeaders.delayRequestPercentage);
  }

  /** `FaultDelayConfig::duration`: the fixed delay, or the `x-envoy-fault-delay-request` value (ms). */
  delayDurationMs(headers: HeaderMap): number | undefined {
    const d = this.delay;
    if (d === undefined) return undefined;
    if (d.fixedMs !== undefined) return d.fixedMs;
    return parseUnsignedHeader(firstHeaderValue(headers, FaultHeaders.delayRequest));
  }

  /** The abort percentage for this request. */
  abortPercentage(headers: HeaderMap): ResolvedPercent | undefined {
    const a = this.abort;
    if (a === undefined) return undefined;
    return a.fromHeaders ? headerPercentage(a.percentage, headers, FaultHeaders.abortRequestPercentage) : a.percentage;
  }

  /** `httpStatusCode`: fixed, or `x-envoy-fault-abort-request` when in [200, 600). */
  abortHttpStatus(headers: HeaderMap): number | undefined {
    const a = this.abort;
    if (a === undefined) return undefined;
    if (!a.fromHeaders) return a.httpStatus;
    const code = parseUnsignedHeader(firstHeaderValue(headers, FaultHeaders.abortRequest));
    return code !== undefined && code >= 200 && code < 600 ? code : undefined;
  }

  /** `grpcStatusCode`: fixed, or `x-envoy-fault-abort-grpc-request`. */
  abortGrpcStatus(headers: HeaderMap): number | undefined {
    const a = this.abort;
    if (a === undefined) return undefined;
    if (!a.fromHeaders) return a.grpcStatus;
    return parseUnsignedHeader(firstHeaderValue(headers, FaultHeaders.abortGrpcRequest));
  }
}
