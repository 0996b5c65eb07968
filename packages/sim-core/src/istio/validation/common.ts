/**
 * Building blocks of Istio's validating webhook (`pkg/config/validation/validation.go` and
 * `pkg/config/validation/agent/validation.go` in istio/istio 1.29), returning Istio's own messages.
 * Each returns the error message, or `undefined` when the value is valid.
 */
import { RE2JS } from 're2js';
import { parseDuration } from '../../engine/time.js';
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIPAddress, isCIDR } from '../../k8s/validation/ip.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';

// --- typed access to not-yet-trusted JSON (the schema pass reports wrong types; these just skip them) ---

/** A JSON object not yet trusted to match its schema. */
export type Json = Readonly<Record<string, unknown>>;
/** `v` as an object, or `undefined` when it is not one. */
export const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
/** `v` as an array (empty when it is not one). */
export const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
/** `v` as a string (`''` when it is not one, like an unset proto field). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** `v` as a number (`0` when it is not one, like an unset proto field). */
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** Whether a field is set (not absent, not null). */
export const present = (v: unknown): boolean => v !== undefined && v !== null;
/** `Object.entries` in key order (code units), so reports do not depend on the YAML's key order. */
export const sortedEntries = (v: unknown): [string, unknown][] =>
  Object.entries(obj(v) ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

// --- agent.ValidateWildcardDomain / ValidateFQDN / ValidateDNS1123Labels / CheckDNS1123Preconditions ---

const WILDCARD_PREFIX = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

function dns1123Preconditions(name: string): string | undefined {
  if (name.length > 255) return `domain name ${JSON.stringify(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

/** `agent.ValidateDNS1123Labels`: every label valid, top-level domain not all-numeric, trailing dot allowed. */
export function validateDNS1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1] ?? '';
  if (/^[+-]?\d+$/.test(tld))
    return `domain name ${JSON.stringify(domain)} invalid (top level domain ${JSON.stringify(tld)} cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i] ?? '';
    if (i === parts.length - 1 && label === '') return undefined;
    if (!isIstioDNS1123Label(label))
      return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(label)} invalid)`;
  }
  return undefined;
}

/** `agent.ValidateWildcardDomain`: a DNS name whose first label may be `*`, `*foo` or `*-foo`. */
export function validateWildcardDomain(domain: string): string | undefined {
  const pre = dns1123Preconditions(domain);
  if (pre !== undefined) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!(first.length <= 63 && WILDCARD_PREFIX.test(first))) {
    return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
  }
  return dot < 0 ? undefined : validateDNS1123Labels(domain.slice(dot + 1));
}

/** `agent.ValidateFQDN`. */
export function validateFQDN(fqdn: string): string | undefined {
  return dns1123Preconditions(fqdn) ?? validateDNS1123Labels(fqdn);
}

/** `agent.ValidatePartialWildCard`: `*` only as the whole host or as a `*.` prefix. */
export function validatePartialWildcard(host: string): string | undefined {
  return host.includes('*') && host.length !== 1 && !host.startsWith('*.')
    ? `partial wildcard ${JSON.stringify(host)} not allowed`
    : undefined;
}

/** `agent.ValidatePort`. */
export function validatePort(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port number ${port} must be in the range 1..65535`;
}

/** `agent.ValidateIPSubnet`: a CIDR block or an address. */
export function validateIPSubnet(subnet: string): string | undefined {
  if ((subnet.match(/\//g) ?? []).length === 1)
    return isCIDR(subnet) ? undefined : `${subnet} is not a valid CIDR block`;
  return isIPAddress(subnet) ? undefined : `${subnet} is not a valid IP`;
}

/**
 * `agent.ValidateDuration`: at least 1 ms, whole milliseconds. Unparsable strings are left to the CRD's CEL
 * rule ("must be a valid duration greater than 1ms"), which the apiserver checks first.
 */
export function validateDuration(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  let d: number;
  try {
    d = parseDuration(text);
  } catch {
    return undefined;
  }
  if (d < 1000) return 'duration must be greater than 1ms';
  if (d % 1000 !== 0) return 'only durations to ms precision are supported';
  return undefined;
}

/** `ValidatePercent`: an integer percentage in 0..100. */
export function validatePercent(value: number): string | undefined {
  return value < 0 || value > 100 ? `percentage ${value} is not in range 0..100` : undefined;
}

/** `validatePercentage` (networking.Percent): 0, or within [0.0001, 100]. */
export function validatePercentage(percentage: unknown): string | undefined {
  const p = obj(percentage);
  if (p === undefined) return undefined;
  const v = num(p['value']);
  return v < 0 || v > 100 || (v > 0 && v < 0.0001)
    ? `percentage ${formatGoFloat(v)} is neither 0.0, nor in range [0.0001, 100.0]`
    : undefined;
}

/** Go's `%v` of a float64 (shortest representation, `1e-05` style exponents). */
export function formatGoFloat(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e21))
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

/** Go's `%f` of a float64. */
export const formatGoFixed = (v: number): string => v.toFixed(6);

/** `labels.Instance.Validate`: label keys and values as Istio checks them. */
export function validateLabels(labels: unknown, path: FieldPath, out: IssueList): void {
  const KEY =
    /^([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*\/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
  const VALUE = /^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  for (const [k, v] of sortedEntries(labels)) {
    const m = KEY.exec(k);
    if (m === null) out.error([...path, k], `invalid tag key: ${JSON.stringify(k)}`);
    else if ((m[1]?.length ?? 0) - 1 > 253)
      out.error([...path, k], `invalid tag key: ${JSON.stringify(k)} (DNS prefix is too long)`);
    else if ((m[2]?.length ?? 0) > 63)
      out.error([...path, k], `invalid tag key: ${JSON.stringify(k)} (name is too long)`);
    if (typeof v === 'string' && !VALUE.test(v)) out.error([...path, k], `invalid tag value: ${JSON.stringify(v)}`);
  }
}

/**
 * `validateStringRegexp`: at most 1024 characters and valid RE2 syntax — compiled with re2js, since Envoy's
 * `safe_regex` is RE2 (JavaScript's RegExp accepts lookarounds and backreferences RE2 rejects).
 */
export function validateRegex(re: string, where: string): string | undefined {
  if (re.length > 1024) return `${JSON.stringify(where)}: regex is too large, max length allowed is 1024`;
  try {
    RE2JS.compile(re);
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return `${JSON.stringify(where)}: ${why}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
  }
}

/** Istio's `protocol.Parse` (case-insensitive); `undefined` for an unsupported protocol. */
export function parseProtocol(p: string): string | undefined {
  const known: Readonly<Record<string, string>> = {
    tcp: 'TCP',
    udp: 'UDP',
    grpc: 'GRPC',
    'grpc-web': 'GRPC-Web',
    http: 'HTTP',
    http_proxy: 'HTTP_PROXY',
    http2: 'HTTP2',
    https: 'HTTPS',
    tls: 'TLS',
    mongo: 'Mongo',
    redis: 'Redis',
    mysql: 'MySQL',
  };
  return known[p.toLowerCase()];
}
/** Istio's `Instance.IsHTTP`. */
export const isHTTPProtocol = (p: string | undefined): boolean =>
  ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-Web'].includes(p ?? '');
/** Istio's `Instance.IsTLS`. */
export const isTLSProtocol = (p: string | undefined): boolean => p === 'HTTPS' || p === 'TLS';
/** Istio's `Instance.IsTCP`. */
export const isTCPProtocol = (p: string | undefined): boolean =>
  ['TCP', 'HTTPS', 'TLS', 'Mongo', 'Redis', 'MySQL'].includes(p ?? '');

/** `validateExportTo`: `.`, `*`, `~` (ServiceEntry only) or namespace names, without duplicates or mixing. */
export function validateExportTo(
  namespace: string,
  exportTo: unknown,
  path: FieldPath,
  out: IssueList,
  opts: { serviceEntry?: boolean; destinationRuleWithSelector?: boolean } = {},
): void {
  const list = arr(exportTo).map(str);
  if (list.length === 0) return;
  const set = new Set<string>();
  list.forEach((e, i) => {
    const key = e === '.' ? namespace : e;
    if (set.has(key)) {
      out.error(
        [...path, i],
        key !== e
          ? `duplicate entries in exportTo: . and current namespace ${namespace}`
          : `duplicate entries in exportTo for entry ${e}`,
      );
      return;
    }
    if (opts.serviceEntry === true && e === '~') {
      set.add(key);
      return;
    }
    if (key === '~') out.error([...path, i], 'exportTo ~ (none) is not allowed for Istio configuration objects');
    else if (key !== '*' && key !== '.' && !isIstioDNS1123Label(key))
      out.error([...path, i], 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry');
    else set.add(key);
  });
  if (opts.destinationRuleWithSelector === true && set.size > 0) {
    if (set.has(namespace)) {
      if (set.size > 1)
        out.error(path, 'destination rule with workload selector cannot have multiple entries in exportTo');
    } else out.error(path, 'destination rule with workload selector cannot have exportTo beyond current namespace');
  }
  if (set.has('*') && list.length > 1)
    out.error(path, 'cannot have both public (*) and non-public exportTo values for a resource');
  if (set.has('~') && list.length > 1) out.error(path, 'cannot export service entry to no one (~) and someone');
}

/** `validateWorkloadSelector` (type.v1beta1.WorkloadSelector `matchLabels`). */
export function validateWorkloadSelector(selector: unknown, path: FieldPath, out: IssueList): void {
  const s = obj(selector);
  if (s === undefined) return;
  const labels = sortedEntries(s['matchLabels']);
  for (const [k, v] of labels) {
    if (k === '')
      out.error(
        [...path, 'matchLabels'],
        `empty key is not supported in selector: ${JSON.stringify(`${k}=${str(v)}`)}`,
      );
    if (k.includes('*') || str(v).includes('*'))
      out.error(
        [...path, 'matchLabels', k],
        `wildcard is not supported in selector: ${JSON.stringify(`${k}=${str(v)}`)}`,
      );
  }
  if (labels.length === 0) out.warning(path, 'workload selector specified without labels');
}

/**
 * The `workloadSelector.labels` of a ServiceEntry or Sidecar (`networking.v1.WorkloadSelector`): an empty
 * key or a `*` is an error that ends the resource's validation (returns false); no labels at all is a
 * warning naming `kind`, since the resource then applies to every workload of its namespace.
 */
export function validateSelectorLabels(
  selector: Readonly<Record<string, unknown>> | undefined,
  path: FieldPath,
  kind: string,
  out: IssueList,
): boolean {
  if (selector === undefined) return true;
  const labels = sortedEntries(selector['labels']);
  for (const [k, v] of labels) {
    const label = JSON.stringify(`${k}=${str(v)}`);
    if (k === '') {
      out.error([...path, 'labels'], `empty key is not supported in selector: ${label}`);
      return false;
    }
    if (k.includes('*') || str(v).includes('*')) {
      out.error([...path, 'labels', k], `wildcard is not supported in selector: ${label}`);
      return false;
    }
  }
  if (labels.length === 0)
    out.warning(
      path,
      `${kind}: workload selector specified without labels, will be applied to all services in namespace`,
    );
  return true;
}

export { isIPAddress };
