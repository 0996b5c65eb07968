/**
 * VirtualServices valid by construction (they pass Istio's CRD schema and its webhook checks,
 * `pkg/config/validation/virtualservice.go`): http routes in order, each with optional match blocks
 * (`uri` exact/prefix/regex — RE2, as Envoy's `safe_regex` —, headers, method, query parameters), weighted
 * destinations over the given host and subsets (several destinations always get integer weights summing to
 * 100), and optional fault, retries and timeout. Shrinking removes routes, matches and policies first, so a
 * counterexample is a short VirtualService.
 */
import fc from 'fast-check';
import { printedAs, manifestsYaml, type Manifest } from '../counterexample/manifestYaml.js';
import { checkDnsLabel, checkInteger, checkNonEmpty, orDefault } from './_constraints.js';
import { headerName } from './names.js';

/** Istio's `StringMatch`: exactly one of exact, prefix, regex. */
export type StringMatch = { readonly exact: string } | { readonly prefix: string } | { readonly regex: string };

/** Istio's `HTTPMatchRequest`, the subset generated here. */
export interface HttpMatchRequest {
  readonly name?: string;
  readonly uri?: StringMatch;
  readonly headers?: Readonly<Record<string, StringMatch>>;
  readonly method?: { readonly exact: string };
  readonly queryParams?: Readonly<Record<string, { readonly exact: string }>>;
  readonly ignoreUriCase?: boolean;
  /** The listener port the block is limited to (istiod drops the block on other ports). */
  readonly port?: number;
}

/** Istio's `HTTPRoute`, the subset generated here. */
export interface HttpRoute {
  readonly name?: string;
  readonly match?: readonly HttpMatchRequest[];
  readonly route: readonly {
    readonly destination: {
      readonly host: string;
      readonly subset?: string;
      readonly port?: { readonly number: number };
    };
    readonly weight?: number;
  }[];
  readonly fault?: {
    readonly abort?: { readonly httpStatus: number; readonly percentage: { readonly value: number } };
    readonly delay?: { readonly fixedDelay: string; readonly percentage: { readonly value: number } };
  };
  readonly retries?: { readonly attempts: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly timeout?: string;
}

/** Constraints of {@link httpMatchRequest}. */
export interface HttpMatchRequestConstraints {
  /** URI prefixes and exact paths to draw from. @defaultValue `['/', '/api', '/api/v1', '/static', '/login']` */
  readonly paths?: readonly string[];
  /** RE2 regexes for `uri.regex`. @defaultValue a few path regexes */
  readonly regexes?: readonly string[];
  /** Header names for `headers`. @defaultValue see {@link headerName} */
  readonly headerNames?: readonly string[];
  /** Header values. @defaultValue readable values (`jason`, `beta`, …) */
  readonly headerValues?: readonly string[];
  /** Whether `method` and `queryParams` conditions are generated. @defaultValue true */
  readonly methodsAndQuery?: boolean;
  /** Ports for a `port` condition (a block that applies on one listener port only). @defaultValue none */
  readonly ports?: readonly number[];
}

const PATHS = ['/', '/api', '/api/v1', '/static', '/login'];
const REGEXES = ['/api/v[0-9]+(/.*)?', '/(static|assets)/.*', '/[a-z]+'];

/** A `StringMatch` over `values` (regex candidates from `regexes`). */
export function stringMatch(values: readonly string[], regexes: readonly string[] = []): fc.Arbitrary<StringMatch> {
  checkNonEmpty('stringMatch', 'values', values);
  const arbs: fc.Arbitrary<StringMatch>[] = [
    fc.constantFrom(...values).map((exact) => ({ exact })),
    fc.constantFrom(...values.filter((v) => v !== '')).map((prefix) => ({ prefix })),
  ];
  if (regexes.length > 0) arbs.push(fc.constantFrom(...regexes).map((regex) => ({ regex })));
  return fc.oneof(...arbs);
}

/** An `HTTPMatchRequest`: any combination of uri, headers, method and query parameter conditions. */
export function httpMatchRequest(constraints: HttpMatchRequestConstraints = {}): fc.Arbitrary<HttpMatchRequest> {
  const paths = constraints.paths ?? PATHS;
  checkNonEmpty('httpMatchRequest', 'paths', paths);
  for (const p of paths) if (!p.startsWith('/')) throw new RangeError(`httpMatchRequest: path ${p} must start with /`);
  const regexes = constraints.regexes ?? REGEXES;
  const uri: fc.Arbitrary<StringMatch> = fc.oneof(
    fc.constantFrom(...paths).map((prefix) => ({ prefix })),
    fc.constantFrom(...paths).map((exact) => ({ exact })),
    ...(regexes.length > 0 ? [fc.constantFrom(...regexes).map((regex) => ({ regex }))] : []),
  );
  const values = constraints.headerValues ?? ['jason', 'beta', 'true', 'v2'];
  checkNonEmpty('httpMatchRequest', 'headerValues', values);
  const header = fc.dictionary(
    headerName(constraints.headerNames !== undefined ? { names: constraints.headerNames } : {}),
    stringMatch(values, ['j.*', 'beta|gamma']),
    { minKeys: 1, maxKeys: 2 },
  );
  const withExtras = orDefault(constraints.methodsAndQuery, true);
  const ports = constraints.ports ?? [];
  for (const p of ports) checkInteger('httpMatchRequest', 'ports', p, 1, 65535);
  return fc
    .record(
      {
        uri,
        headers: header,
        method: withExtras ? fc.constantFrom('GET', 'POST').map((exact) => ({ exact })) : fc.constant(undefined),
        queryParams: withExtras
          ? fc.dictionary(
              fc.constantFrom('version', 'debug'),
              fc.constantFrom('1', 'true', 'beta').map((exact) => ({ exact })),
              { minKeys: 1, maxKeys: 1 },
            )
          : fc.constant(undefined),
        // Only with `ports`: without them the record, and so every generated value, stays as before.
        ...(ports.length > 0 ? { port: fc.constantFrom(...ports) } : {}),
      },
      { requiredKeys: [] },
    )
    .map((m) => defined(m) as HttpMatchRequest);
}

/** Constraints of {@link virtualService}. */
export interface VirtualServiceConstraints {
  /** The host routed (`spec.hosts[0]`) and the destinations' host. */
  readonly host: string;
  /** DestinationRule subsets destinations may name; none means destinations without subset. @defaultValue [] */
  readonly subsets?: readonly string[];
  /** @defaultValue `'default'` */
  readonly namespace?: string;
  /** @defaultValue the host's first label */
  readonly name?: string;
  /** `spec.gateways` (absent: the mesh). */
  readonly gateways?: readonly string[];
  /** @defaultValue 1 */
  readonly minRoutes?: number;
  /** @defaultValue 4 */
  readonly maxRoutes?: number;
  /** Match blocks per route. @defaultValue 2 */
  readonly maxMatches?: number;
  /** Destinations per route. @defaultValue 3 */
  readonly maxDestinations?: number;
  /** Whether the last route is a catch-all (no `match`), as most real VirtualServices end. @defaultValue false */
  readonly catchAll?: boolean;
  /** Generate `fault`, `retries` and `timeout`. @defaultValue false */
  readonly policies?: boolean;
  /** Conditions of the match blocks. */
  readonly match?: HttpMatchRequestConstraints;
  /** Destination port (`destination.port.number`), for hosts with several ports. */
  readonly port?: number;
  /** Hosts destinations may name (another Service routed to). @defaultValue the routed host alone */
  readonly destinationHosts?: readonly string[];
}

/** Integer weights summing to 100 for `n` destinations (one destination: no weight). */
function weights(n: number): fc.Arbitrary<number[] | undefined> {
  if (n === 1) return fc.constant(undefined);
  return fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
    return sorted.slice(1).map((c, i) => c - (sorted[i] as number));
  });
}

const POLICIES = fc.record(
  {
    fault: fc
      .record(
        {
          abort: fc.record({
            httpStatus: fc.constantFrom(503, 500, 418),
            percentage: fc.record({ value: fc.constantFrom(100, 50, 10, 0.5) }),
          }),
          delay: fc.record({
            fixedDelay: fc.constantFrom('5s', '100ms'),
            percentage: fc.record({ value: fc.constantFrom(100, 10) }),
          }),
        },
        { requiredKeys: [] },
      )
      .filter((f) => f.abort !== undefined || f.delay !== undefined),
    // Istio refuses perTryTimeout or retryOn with `attempts: 0` (retries disabled).
    retries: fc.oneof(
      fc.constant({ attempts: 0 }),
      fc.record(
        {
          attempts: fc.integer({ min: 1, max: 5 }),
          perTryTimeout: fc.constantFrom('1s', '250ms'),
          retryOn: fc.constantFrom('5xx', 'gateway-error,connect-failure', 'reset,503'),
        },
        { requiredKeys: ['attempts'] },
      ),
    ),
    timeout: fc.constantFrom('1s', '3s', '10s'),
  },
  { requiredKeys: [] },
);

/** A VirtualService routing `host`, valid by construction; printed as YAML in fast-check reports. */
export function virtualService(constraints: VirtualServiceConstraints): fc.Arbitrary<Manifest> {
  const host = constraints.host;
  if (host === '') throw new RangeError('virtualService: host must not be empty');
  const namespace = orDefault(constraints.namespace, 'default');
  checkDnsLabel('virtualService', 'namespace', namespace);
  const name = orDefault(constraints.name, (host.split('.')[0] as string).replace(/^\*$/, 'wildcard'));
  checkDnsLabel('virtualService', 'name', name);
  const minRoutes = orDefault(constraints.minRoutes, 1);
  const maxRoutes = orDefault(constraints.maxRoutes, 4);
  checkInteger('virtualService', 'minRoutes', minRoutes, 1, 64);
  checkInteger('virtualService', 'maxRoutes', maxRoutes, minRoutes, 64);
  const maxMatches = orDefault(constraints.maxMatches, 2);
  checkInteger('virtualService', 'maxMatches', maxMatches, 0, 16);
  const maxDestinations = orDefault(constraints.maxDestinations, 3);
  checkInteger('virtualService', 'maxDestinations', maxDestinations, 1, 16);
  const subsets = constraints.subsets ?? [];
  for (const s of subsets) checkDnsLabel('virtualService', 'subsets', s);
  if (constraints.port !== undefined) checkInteger('virtualService', 'port', constraints.port, 1, 65535);

  const destHosts = constraints.destinationHosts ?? [];
  for (const h of destHosts)
    if (h === '' || h.includes('*'))
      throw new RangeError(`virtualService: destinationHosts ${JSON.stringify(h)} must be a host name`);
  const subset = subsets.length > 0 ? fc.constantFrom(...subsets) : fc.constant(undefined);
  const destination = (
    destHosts.length > 0 ? fc.tuple(fc.constantFrom(...destHosts), subset) : subset.map((s) => [host, s] as const)
  ).map(([to, sub]) => ({
    host: to,
    ...(sub !== undefined ? { subset: sub } : {}),
    ...(constraints.port !== undefined ? { port: { number: constraints.port } } : {}),
  }));
  const route = fc
    .integer({ min: 1, max: maxDestinations })
    .chain((n) => fc.tuple(fc.array(destination, { minLength: n, maxLength: n }), weights(n)))
    .map(([dests, ws]) =>
      dests.map((d, i) => (ws === undefined ? { destination: d } : { destination: d, weight: ws[i] as number })),
    );
  const match = httpMatchRequest(constraints.match ?? {});
  const httpRoute = (withMatch: boolean): fc.Arbitrary<HttpRoute> =>
    fc
      .record({
        match: withMatch
          ? fc.array(match, { minLength: 1, maxLength: Math.max(1, maxMatches) })
          : fc.constant(undefined),
        route,
        policies: constraints.policies === true ? POLICIES : fc.constant({}),
      })
      .map(({ match: m, route: r, policies }) => ({
        ...(m !== undefined ? { match: m } : {}),
        route: r,
        ...defined(policies),
      }));
  const catchAll = constraints.catchAll === true;
  const routes = fc
    .array(httpRoute(maxMatches > 0), {
      minLength: catchAll ? Math.max(0, minRoutes - 1) : minRoutes,
      maxLength: catchAll ? maxRoutes - 1 : maxRoutes,
    })
    .chain((rs) => (catchAll ? httpRoute(false).map((last) => [...rs, last]) : fc.constant(rs)));
  return routes.map((http) =>
    printedAs(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name, namespace },
        spec: {
          hosts: [host],
          ...(constraints.gateways !== undefined ? { gateways: [...constraints.gateways] } : {}),
          http,
        },
      },
      (m) => manifestsYaml([m]),
    ),
  );
}

/** Drops fields whose value is `undefined`. */
export function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
