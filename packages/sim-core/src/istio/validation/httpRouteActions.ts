/**
 * Istio's checks of what an HTTP route does besides routing: CORS, fault injection, retries, redirect,
 * direct response and rewrites (`validateCORSPolicy`, `validateHTTPFaultInjection`, `validateHTTPRetry`,
 * `validateHTTPRedirect`, `validateHTTPDirectResponse`, `validateHTTPRewrite`, `validateAuthorityRewrite`
 * in istio/istio 1.29 `pkg/config/validation`).
 */
import { parseDuration } from '../../engine/time.js';
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import {
  arr,
  num,
  obj,
  present,
  sortedEntries,
  str,
  validateDuration,
  validatePercentage,
  validatePort,
  validateRegex,
  type Json,
} from './common.js';
import { validateCorsHeaderName } from './httpHeaders.js';
import { validateStringMatch } from './stringMatch.js';

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'];

/** `validateCORSPolicy`. */
export function validateCorsPolicy(policy: Json | undefined, path: FieldPath, out: IssueList): void {
  if (policy === undefined) return;
  arr(policy['allowOrigins']).forEach((o, i) => {
    const m = obj(o) ?? {};
    const value = str(m['exact'] ?? m['prefix'] ?? m['regex']);
    if (value === '')
      out.error([...path, 'allowOrigins', i], `'${value}' is not a valid match type for CORS allow origins`);
    else validateStringMatch(o, 'corsPolicy.allowOrigins', [...path, 'allowOrigins', i], out, true);
  });
  arr(policy['allowMethods']).forEach((m, i) => {
    if (!CORS_METHODS.includes(str(m)))
      out.error([...path, 'allowMethods', i], `${JSON.stringify(str(m))} is not a supported HTTP method`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    arr(policy[field]).forEach((h, i) => {
      const e = validateCorsHeaderName(str(h));
      if (e !== undefined) out.error([...path, field, i], e);
    });
  }
  if (present(policy['maxAge'])) {
    const e = validateDuration(policy['maxAge']);
    if (e !== undefined) out.error([...path, 'maxAge'], e);
    else if (parseDuration(str(policy['maxAge'])) % 1_000_000 !== 0) {
      out.error([...path, 'maxAge'], 'max_age duration is accurate only to seconds precision');
    }
  }
}

// google.rpc.Code names (`grpc.SupportedGRPCStatus`).
const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

const validateHTTPStatus = (status: number): string | undefined =>
  status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;

/** `validateHTTPFaultInjection` with its abort and delay checks. */
export function validateFault(fault: Json | undefined, path: FieldPath, out: IssueList): void {
  if (fault === undefined) return;
  const abort = obj(fault['abort']);
  const delay = obj(fault['delay']);
  if (abort === undefined && delay === undefined)
    out.error(path, 'HTTP fault injection must have an abort and/or a delay');
  if (abort !== undefined) {
    const at = [...path, 'abort'];
    const p = validatePercentage(abort['percentage']);
    if (p !== undefined) out.error([...at, 'percentage', 'value'], p);
    if (present(abort['grpcStatus'])) {
      const s = str(abort['grpcStatus']);
      if (!GRPC_STATUS.includes(s)) {
        out.error(
          [...at, 'grpcStatus'],
          `gRPC status ${JSON.stringify(s)} is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`,
        );
      }
    } else if (present(abort['http2Error']))
      out.error([...at, 'http2Error'], 'HTTP/2 abort fault injection not supported yet');
    else if (present(abort['httpStatus'])) {
      const e = validateHTTPStatus(num(abort['httpStatus']));
      if (e !== undefined) out.error([...at, 'httpStatus'], e);
    } else out.warning(at, 'abort configured, but error type not set');
  }
  if (delay !== undefined) {
    const at = [...path, 'delay'];
    const p = validatePercentage(delay['percentage']);
    if (p !== undefined) out.error([...at, 'percentage', 'value'], p);
    if (present(delay['fixedDelay'])) {
      const e = validateDuration(delay['fixedDelay']);
      if (e !== undefined) out.error([...at, 'fixedDelay'], e);
    } else if (present(delay['exponentialDelay'])) {
      const e = validateDuration(delay['exponentialDelay']);
      if (e !== undefined) out.error([...at, 'exponentialDelay'], e);
      out.error([...at, 'exponentialDelay'], 'exponentialDelay not supported yet');
    }
    if (present(delay['percent'])) {
      const e =
        num(delay['percent']) < 0 || num(delay['percent']) > 100
          ? `percentage ${num(delay['percent'])} is not in range 0..100`
          : undefined;
      if (e !== undefined) out.error([...at, 'percent'], e);
    }
  }
}

/** `validateDestination`: host syntax (not `*`), subset name, port. */
// Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on policies (`supportedRetryOnPolicies`).
const RETRY_ON = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];
// Codes Go's net/http.StatusText knows (Istio accepts a retryOn entry that is one of them).
const HTTP_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400,
  401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425,
  426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** `validateHTTPRetry`. */
export function validateRetries(retries: Json | undefined, path: FieldPath, out: IssueList): void {
  if (retries === undefined) return;
  const attempts = num(retries['attempts']);
  if (attempts < 0) out.error([...path, 'attempts'], 'attempts cannot be negative');
  if (
    attempts === 0 &&
    (present(retries['perTryTimeout']) || str(retries['retryOn']) !== '' || present(retries['retryRemoteLocalities']))
  ) {
    out.error([...path, 'attempts'], 'http retry policy configured when attempts are set to 0 (disabled)');
  }
  for (const field of ['perTryTimeout', 'backoff'] as const) {
    if (present(retries[field])) {
      const e = validateDuration(retries[field]);
      if (e !== undefined) out.error([...path, field], e);
    }
  }
  const retryOn = str(retries['retryOn']);
  if (retryOn !== '') {
    for (const policy of retryOn.split(',')) {
      const code = /^[+-]?\d+$/.test(policy) ? Number(policy) : 0;
      if (!HTTP_STATUS_CODES.has(code) && !RETRY_ON.includes(policy)) {
        out.error([...path, 'retryOn'], `${JSON.stringify(policy)} is not a valid retryOn policy`);
      }
    }
  }
}

/** `validateHTTPRedirect`. */
export function validateRedirect(redirect: Json | undefined, path: FieldPath, out: IssueList): void {
  if (redirect === undefined) return;
  const scheme = str(redirect['scheme']);
  if (
    str(redirect['uri']) === '' &&
    str(redirect['authority']) === '' &&
    !present(redirect['port']) &&
    !present(redirect['derivePort']) &&
    scheme === ''
  ) {
    return out.error(path, 'redirect must specify URI, authority, scheme, or port');
  }
  const code = num(redirect['redirectCode']);
  if (code !== 0 && (code < 300 || code > 399))
    return out.error([...path, 'redirectCode'], `${code} is not a valid redirect code, must be 3xx`);
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https')
    return out.error([...path, 'scheme'], 'invalid redirect scheme, must be "http" or "https"');
  if (num(redirect['port']) > 0) {
    const e = validatePort(num(redirect['port']));
    if (e !== undefined) out.error([...path, 'port'], e);
  }
}

/** `validateHTTPDirectResponse`. */
export function validateDirectResponse(dr: Json | undefined, path: FieldPath, out: IssueList): void {
  if (dr === undefined) return;
  const body = obj(dr['body']);
  if (body !== undefined) {
    // `bytes` is base64 in YAML; its decoded size is what Istio measures.
    const size = present(body['string'])
      ? new TextEncoder().encode(str(body['string'])).length
      : Math.floor((str(body['bytes']).replace(/=+$/, '').length * 3) / 4);
    if (size > 1024 * 1024)
      out.error(
        [...path, 'body'],
        'large direct_responses may impact control plane performance, must be less than 1MB',
      );
    else if (size > 100 * 1024)
      out.warning([...path, 'body'], 'large direct_responses may impact control plane performance');
  }
  const e = validateHTTPStatus(num(dr['status']));
  if (e !== undefined) out.error([...path, 'status'], e);
}

/** `validateHTTPRewrite` and `validateURIRegexRewrite`. */
export function validateRewrite(rewrite: Json | undefined, path: FieldPath, out: IssueList): void {
  if (rewrite === undefined) return;
  const uri = str(rewrite['uri']);
  const regex = obj(rewrite['uriRegexRewrite']);
  if (uri !== '' && regex !== undefined)
    return out.error(path, 'rewrite may only contain one of URI or UriRegexRewrite');
  if (uri === '' && regex === undefined && str(rewrite['authority']) === '') {
    return out.error(
      path,
      'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified',
    );
  }
  if (regex !== undefined) {
    const match = str(regex['match']);
    if (match === '' || str(regex['rewrite']) === '') {
      return out.error(
        [...path, 'uriRegexRewrite'],
        'UriRegexRewrite has errors\nUriRegexRewrite requires both Rewrite and Match fields to be specified',
      );
    }
    const e = validateRegex(match, 'HTTPRewrite.UriRegexRewrite.Match');
    if (e !== undefined) out.error([...path, 'uriRegexRewrite', 'match'], `UriRegexRewrite has errors\n${e}`);
  }
}

/** `validateAuthorityRewrite`: the authority may be rewritten only once per route. */
export function validateAuthorityRewrite(r: Json, path: FieldPath, out: IssueList): void {
  let current = str(obj(r['rewrite'])?.['authority']);
  const request = obj(obj(r['headers'])?.['request']);
  for (const op of ['set', 'add'] as const) {
    for (const [k, v] of sortedEntries(request?.[op])) {
      if (k.toLowerCase() !== ':authority' && k.toLowerCase() !== 'host') continue;
      if (current !== '') {
        return out.error(
          [...path, 'headers', 'request', op, k],
          `authority header cannot be set multiple times: have ${JSON.stringify(current)}, attempting to set ${JSON.stringify(str(v))}`,
        );
      }
      current = str(v);
    }
  }
}
