/**
 * Names as Kubernetes and Istio spell them. Each arbitrary draws first from a pool of readable names
 * (`reviews`, `v2`, `end-user`), so shrinking lands on names a person would write, and otherwise from the
 * full grammar (DNS-1123 labels, HTTP header tokens).
 */
import fc from 'fast-check';
import { stringMatchingOnce } from './_stringMatching.js';
import { checkInteger, orDefault } from './_constraints.js';

/** Constraints of {@link dnsLabel}. */
export interface DnsLabelConstraints {
  /** Longest label generated (Kubernetes allows 63). @defaultValue 12 */
  readonly maxLength?: number;
  /** Readable names tried first (and shrunk towards). @defaultValue a pool of service-like names */
  readonly readable?: readonly string[];
}

const SERVICE_NAMES = ['web', 'api', 'reviews', 'ratings', 'details', 'productpage', 'auth', 'cart', 'db'];

/**
 * A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`): a Namespace, Service or Deployment name.
 * Mirrors `k8s.io/apimachinery/pkg/util/validation.IsDNS1123Label`.
 */
export function dnsLabel(constraints: DnsLabelConstraints = {}): fc.Arbitrary<string> {
  const maxLength = orDefault(constraints.maxLength, 12);
  checkInteger('dnsLabel', 'maxLength', maxLength, 1, 63);
  const readable = (constraints.readable ?? SERVICE_NAMES).filter((n) => n.length <= maxLength);
  const inner = Math.max(0, maxLength - 2);
  const generated =
    maxLength === 1
      ? stringMatchingOnce(/^[a-z0-9]$/)
      : stringMatchingOnce(new RegExp(`^[a-z]([-a-z0-9]{0,${inner}}[a-z0-9])?$`));
  return readable.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...readable) }, generated) : generated;
}

/** A namespace name, readable first (`app`, `shop`, `team-a`). */
export function namespaceName(): fc.Arbitrary<string> {
  return dnsLabel({ readable: ['app', 'shop', 'team-a', 'team-b', 'payments'] });
}

/** A version label value and subset name: `v1`, `v2`, … */
export function versionName(constraints: { readonly max?: number } = {}): fc.Arbitrary<string> {
  const max = orDefault(constraints.max, 9);
  checkInteger('versionName', 'max', max, 1, 99);
  return fc.integer({ min: 1, max }).map((n) => `v${n}`);
}

/** Constraints of {@link headerName}. */
export interface HeaderNameConstraints {
  /** Names to draw from; when given, only these. @defaultValue readable names, then RFC 7230 tokens */
  readonly names?: readonly string[];
}

const HEADER_NAMES = ['end-user', 'x-canary', 'x-version', 'user', 'x-tenant', 'cookie'];

/**
 * A lower-case HTTP header name (an RFC 7230 token; Envoy matches names case-insensitively and meshsim
 * stores them lower-cased). Never a pseudo-header and never `host`, which select the virtual host.
 */
export function headerName(constraints: HeaderNameConstraints = {}): fc.Arbitrary<string> {
  if (constraints.names !== undefined) {
    if (constraints.names.length === 0) throw new RangeError('headerName: names must not be empty');
    for (const n of constraints.names) {
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n) || n === 'host') {
        throw new RangeError(`headerName: ${JSON.stringify(n)} is not a lower-case header token (nor host)`);
      }
    }
    return fc.constantFrom(...constraints.names);
  }
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HEADER_NAMES) }, stringMatchingOnce(/^x-[a-z0-9]{1,8}$/));
}

/** A header value without control characters or surrounding spaces (what a client can send). */
export function headerValue(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('jason', 'jesse', 'beta', 'true', '1', 'v2') },
    stringMatchingOnce(/^[!-~]([ -~]{0,10}[!-~])?$/),
  );
}
