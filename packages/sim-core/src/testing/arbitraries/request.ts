/**
 * HTTP requests as a client in the mesh sends them: method, authority (in every form Istio accepts for a
 * Service), path, query and headers. {@link authority} covers the host forms a sidecar's route
 * configuration lists for a Kubernetes Service — `name` (same namespace only), `name.namespace`,
 * `name.namespace.svc`, the FQDN and the ClusterIP — each with or without the port (istio/istio
 * pilot/pkg/networking/core/route/route.go `generateVirtualHostDomains`; Istio's integration `hostCases`).
 */
import fc from 'fast-check';
import { stringMatchingOnce } from './_stringMatching.js';
import { checkDnsLabel, checkInteger, checkNonEmpty, orDefault } from './_constraints.js';
import { headerName, headerValue } from './names.js';

/** How a request names its destination Service. */
export type HostForm = 'short' | 'name.namespace' | 'name.namespace.svc' | 'fqdn' | 'vip';

/** Every host form, in the order shrinking prefers. */
export const HOST_FORMS: readonly HostForm[] = ['short', 'name.namespace', 'name.namespace.svc', 'fqdn', 'vip'];

/** A Service as a request names it. */
export interface ServiceTarget {
  readonly name: string;
  readonly namespace: string;
  /** The Service port the client dials. @defaultValue 80 */
  readonly port?: number;
  /** The ClusterIP, for the `vip` form. */
  readonly clusterIP?: string;
  /** @defaultValue `cluster.local` */
  readonly domain?: string;
}

/** Constraints of {@link authority}. */
export interface AuthorityConstraints {
  /** The Service the authority names. */
  readonly service: ServiceTarget;
  /** The client's namespace: the short form resolves only from the Service's own namespace. */
  readonly fromNamespace?: string;
  /** Forms to use. @defaultValue every form that resolves from `fromNamespace` (`vip` only with a ClusterIP) */
  readonly forms?: readonly HostForm[];
  /**
   * Whether `:port` is written: `'always'`, `'never'`, or `'both'`. Without it curl sends the scheme's port
   * (80), so `never` is only offered for port 80. @defaultValue `'both'`
   */
  readonly port?: 'always' | 'never' | 'both';
}

/** An authority and how it was formed. */
export interface GeneratedAuthority {
  readonly host: string;
  readonly port: number;
  readonly explicitPort: boolean;
  readonly form: HostForm;
  /** `host[:port]` as it goes in the URL and `Host`. */
  readonly authority: string;
}

/** The host of `service` written in `form`. */
export function hostInForm(service: ServiceTarget, form: HostForm): string {
  const domain = service.domain ?? 'cluster.local';
  switch (form) {
    case 'short':
      return service.name;
    case 'name.namespace':
      return `${service.name}.${service.namespace}`;
    case 'name.namespace.svc':
      return `${service.name}.${service.namespace}.svc`;
    case 'fqdn':
      return `${service.name}.${service.namespace}.svc.${domain}`;
    case 'vip':
      if (service.clusterIP === undefined) throw new RangeError('hostInForm: the vip form needs a clusterIP');
      return service.clusterIP;
  }
}

/** The forms that resolve for a client in `fromNamespace` (DNS search path: `<ns>.svc.<domain>` first). */
export function applicableForms(service: ServiceTarget, fromNamespace: string | undefined): HostForm[] {
  return HOST_FORMS.filter(
    (f) =>
      (f !== 'short' || fromNamespace === undefined || fromNamespace === service.namespace) &&
      (f !== 'vip' || (service.clusterIP !== undefined && service.clusterIP !== '' && service.clusterIP !== 'None')),
  );
}

/** An authority naming `service`, in any form Istio routes for it. */
export function authority(constraints: AuthorityConstraints): fc.Arbitrary<GeneratedAuthority> {
  const s = constraints.service;
  checkDnsLabel('authority', 'service.name', s.name);
  checkDnsLabel('authority', 'service.namespace', s.namespace);
  const port = orDefault(s.port, 80);
  checkInteger('authority', 'service.port', port, 1, 65535);
  const allowed = applicableForms(s, constraints.fromNamespace);
  const forms = constraints.forms === undefined ? allowed : constraints.forms.filter((f) => allowed.includes(f));
  checkNonEmpty('authority', 'forms (after removing forms that do not resolve from fromNamespace)', forms);
  const portMode = orDefault(constraints.port, 'both');
  const explicit: boolean[] =
    portMode === 'always' || port !== 80 ? [true] : portMode === 'never' ? [false] : [false, true];
  return fc.tuple(fc.constantFrom(...forms), fc.constantFrom(...explicit)).map(([form, explicitPort]) => {
    const host = hostInForm({ ...s, port }, form);
    return { host, port, explicitPort, form, authority: explicitPort ? `${host}:${port}` : host };
  });
}

/** Constraints of {@link httpMethod}. */
export interface HttpMethodConstraints {
  /** @defaultValue `['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']` */
  readonly methods?: readonly string[];
}

/** An HTTP method, `GET` first. */
export function httpMethod(constraints: HttpMethodConstraints = {}): fc.Arbitrary<string> {
  const methods = constraints.methods ?? ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
  checkNonEmpty('httpMethod', 'methods', methods);
  return fc.constantFrom(...methods);
}

/** Constraints of {@link requestPath}. */
export interface RequestPathConstraints {
  /** Segments to draw from. @defaultValue readable ones (`api`, `v1`, `reviews`, …) and generated tokens */
  readonly segments?: readonly string[];
  /** @defaultValue 3 */
  readonly maxSegments?: number;
  /** Paths that must be among the candidates (e.g. the prefixes of the rules under test). */
  readonly include?: readonly string[];
}

const SEGMENTS = ['api', 'v1', 'v2', 'reviews', 'static', 'login', 'health', 'items'];

/** An absolute request path without query (`/`, `/api/v1`, …). */
export function requestPath(constraints: RequestPathConstraints = {}): fc.Arbitrary<string> {
  const maxSegments = orDefault(constraints.maxSegments, 3);
  checkInteger('requestPath', 'maxSegments', maxSegments, 0, 32);
  const segment =
    constraints.segments !== undefined
      ? fc.constantFrom(...constraints.segments)
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) }, stringMatchingOnce(/^[a-z0-9._~-]{1,8}$/));
  const built = fc.array(segment, { maxLength: maxSegments }).map((s) => `/${s.join('/')}`);
  const include = constraints.include ?? [];
  for (const p of include) if (!p.startsWith('/')) throw new RangeError(`requestPath: include ${p} must start with /`);
  return include.length > 0 ? fc.oneof(fc.constantFrom(...include), built) : built;
}

/** Constraints of {@link queryString}. */
export interface QueryStringConstraints {
  /** Parameter names. @defaultValue `['version', 'user', 'debug']` */
  readonly names?: readonly string[];
  /** @defaultValue 2 */
  readonly maxParams?: number;
}

/** A query string, `''` or `?k=v&…` (values unencoded tokens, as Envoy matches them without decoding). */
export function queryString(constraints: QueryStringConstraints = {}): fc.Arbitrary<string> {
  const names = constraints.names ?? ['version', 'user', 'debug'];
  checkNonEmpty('queryString', 'names', names);
  const maxParams = orDefault(constraints.maxParams, 2);
  checkInteger('queryString', 'maxParams', maxParams, 0, 16);
  const param = fc.tuple(fc.constantFrom(...names), stringMatchingOnce(/^[a-z0-9]{1,6}$/));
  return fc
    .array(param, { maxLength: maxParams })
    .map((ps) => (ps.length === 0 ? '' : `?${ps.map(([k, v]) => `${k}=${v}`).join('&')}`));
}

/** Constraints of {@link headers}. */
export interface HeadersConstraints {
  /** Header names to draw from. @defaultValue see {@link headerName} */
  readonly names?: readonly string[];
  /** Values to draw from, besides generated ones. */
  readonly values?: readonly string[];
  /** @defaultValue 2 */
  readonly maxHeaders?: number;
}

/** Request headers (lower-case names, one value each), sorted by name. */
export function headers(constraints: HeadersConstraints = {}): fc.Arbitrary<Readonly<Record<string, string>>> {
  const maxHeaders = orDefault(constraints.maxHeaders, 2);
  checkInteger('headers', 'maxHeaders', maxHeaders, 0, 32);
  const value =
    constraints.values !== undefined && constraints.values.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...constraints.values) }, headerValue())
      : headerValue();
  return fc
    .dictionary(headerName(constraints.names !== undefined ? { names: constraints.names } : {}), value, {
      maxKeys: maxHeaders,
    })
    .map((h) => {
      const out: Record<string, string> = {};
      for (const k of Object.keys(h).sort()) out[k] = h[k] as string;
      return out;
    });
}
