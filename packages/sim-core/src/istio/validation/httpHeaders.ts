/** Header-name and header-value checks of Istio's validating webhook (`pkg/config/validation/validation.go`). */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { arr, obj, sortedEntries, str } from './common.js';

// RFC 7230 token characters (`tchars`), as Istio's validHeaderNameRegex.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = [':method', ':scheme', ':authority', ':path', ':status'];

/** `ValidateHTTPHeaderNameOrJwtClaimRoute`: match keys may be JWT claims or pseudo-headers. */
export function validateHeaderMatchName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.startsWith('@request.auth.claims')) return undefined;
  if (PSEUDO_HEADERS.includes(name)) return undefined;
  return HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

/** `ValidateCORSHTTPHeaderName`. */
export function validateCorsHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*') return undefined;
  return HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

const isInternalHeader = (h: string): boolean => h.startsWith(':') || h.toLowerCase() === 'host';
const isAuthorityHeader = (h: string): boolean => h.toLowerCase() === ':authority' || h.toLowerCase() === 'host';

function withAuthorityOperationName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name))
    return `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`;
  return undefined;
}

function operationName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header ${JSON.stringify(name)}: cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header ${JSON.stringify(name)}: header cannot have ":" prefix`;
  return undefined;
}

/** `ValidateHTTPHeaderValue`: no control characters, and `%` only in Envoy's `%VAR%` / `%%` forms. */
export function validateHeaderValue(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return `header value configuration ${value} is invalid`;
  // Envoy's header formatter: `%%` is a literal %, otherwise `%NAME%` or `%NAME(args)%`.
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    if (value[i + 1] === '%') {
      i += 2;
      continue;
    }
    const end = value.indexOf('%', i + 1);
    if (end < 0)
      return `header value configuration: Invalid header configuration. Un-terminated variable expression '${value.slice(i + 1)}'`;
    i = end + 1;
  }
  return undefined;
}

/** The `headers` block (request/response add/set/remove) of a route or route destination. */
export function validateHeaderOperations(headers: unknown, path: FieldPath, out: IssueList): void {
  const h = obj(headers);
  if (h === undefined) return;
  for (const dir of ['request', 'response'] as const) {
    const ops = obj(h[dir]);
    if (ops === undefined) continue;
    const nameCheck = dir === 'request' ? withAuthorityOperationName : operationName;
    for (const op of ['add', 'set'] as const) {
      for (const [name, value] of sortedEntries(ops[op])) {
        const at = [...path, dir, op, name];
        const e = nameCheck(name) ?? validateHeaderValue(str(value));
        if (e !== undefined) out.error(at, e);
      }
    }
    arr(ops['remove']).forEach((name, i) => {
      const e = operationName(str(name));
      if (e !== undefined) out.error([...path, dir, 'remove', i], e);
    });
  }
}
