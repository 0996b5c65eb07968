/**
 * Requests against a given mesh: from its client sidecars, to its Services in every host form Istio routes,
 * with paths, headers, methods and query parameters drawn from what its VirtualServices match on — so every
 * request class (every rule, and the gaps between rules) is likely within the default number of runs.
 * Half the draws are requests written for a rule (see witnesses.ts), the rest free combinations; shrinking
 * prefers the former, which read like the rule they target.
 */
import fc from 'fast-check';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { HTTPMatchRequest, StringMatch } from '../../istio/xds/api.js';
import { isHTTP, isSniffed } from '../../istio/model/protocol.js';
import { checkNonEmpty } from '../arbitraries/_constraints.js';
import { applicableForms, hostInForm, httpMethod, type HostForm, type ServiceTarget } from '../arbitraries/request.js';
import { findPodRef } from '../../istio/model/modelQueries.js';
import { virtualServiceRules } from './rules.js';
import { sidecarClients, valuesFor, witnesses } from './witnesses.js';

/** Constraints of {@link meshRequest}. */
export interface MeshRequestConstraints {
  /** Client pods (`POD[.NAMESPACE]`, a unique prefix is enough). @defaultValue one sidecar per workload */
  readonly from?: readonly string[];
  /** Destination hosts (FQDNs of Services or ServiceEntries). @defaultValue every HTTP service outside `istio-system`/`kube-system` */
  readonly hosts?: readonly string[];
  /** Host forms. @defaultValue all that resolve from the client */
  readonly forms?: readonly HostForm[];
  /** Include requests written for each VirtualService rule. @defaultValue true */
  readonly ruleRequests?: boolean;
  /**
   * Also send Envoy's request headers an application may set (`x-envoy-max-retries`,
   * `x-envoy-retry-on`, `x-envoy-upstream-rq-timeout-ms`), which sidecars honour. @defaultValue false
   */
  readonly envoyHeaders?: boolean;
}

const SYSTEM_NAMESPACES = new Set(['istio-system', 'kube-system', 'kube-public', 'kube-node-lease']);

function matchValues(rulesMatches: readonly HTTPMatchRequest[]): {
  paths: string[];
  headerNames: string[];
  headerValues: string[];
  methods: string[];
} {
  const paths = new Set<string>(['/']);
  const names = new Set<string>();
  const values = new Set<string>();
  const methods = new Set<string>(['GET']);
  const add = (set: Set<string>, m: StringMatch | undefined): void => {
    for (const v of m === undefined ? [] : valuesFor(m)) set.add(v);
  };
  for (const m of rulesMatches) {
    add(paths, m.uri);
    add(methods, m.method);
    for (const [k, v] of Object.entries(m.headers ?? {})) {
      if (k.startsWith('@') || k.startsWith(':')) continue;
      names.add(k.toLowerCase());
      add(values, v);
    }
    for (const k of Object.keys(m.withoutHeaders ?? {})) if (!k.startsWith('@')) names.add(k.toLowerCase());
  }
  return {
    paths: [...paths].filter((p) => p.startsWith('/')).sort(),
    headerNames: [...names].sort(),
    headerValues: [...values].sort(),
    methods: [...methods].sort(),
  };
}

function targetsOf(model: MeshModel, hosts: readonly string[] | undefined): ServiceTarget[] {
  const out: ServiceTarget[] = [];
  for (const s of model.registry.services) {
    if (SYSTEM_NAMESPACES.has(s.namespace)) continue;
    if (hosts !== undefined && !hosts.includes(s.hostname)) continue;
    const port = s.ports.find((p) => isHTTP(p.protocol) || isSniffed(p.protocol));
    if (port === undefined) continue;
    const svc = model.cluster.services.find((c) => c.name === s.name && c.namespace === s.namespace);
    const clusterIP = s.kind === 'Service' ? svc?.clusterIP : undefined;
    out.push({
      name: s.name,
      namespace: s.namespace,
      port: port.port,
      domain: model.cluster.domain,
      ...(clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None' ? { clusterIP } : {}),
      ...(s.kind === 'ServiceEntry' ? { external: s.hostname } : {}),
    } as ServiceTarget);
  }
  return out.sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/**
 * The requests written for each VirtualService rule (see witnesses.ts), from the given clients to the given
 * hosts — every request class the rules define, in file order. Properties try them all first (fast-check
 * `examples`) before generated ones.
 */
export function ruleRequests(
  model: MeshModel,
  constraints: Pick<MeshRequestConstraints, 'from' | 'hosts'> = {},
): RouteCall[] {
  const senders =
    constraints.from === undefined
      ? undefined
      : new Set(
          constraints.from.map((ref) => {
            const pod = findPodRef(model, ref);
            return pod === undefined ? ref : `${pod.name}.${pod.namespace}`;
          }),
        );
  const hostOf = (url: string | undefined): string =>
    (/^[a-z]+:\/\/([^/:?#]*)/i.exec(url ?? '')?.[1] ?? '').toLowerCase();
  return virtualServiceRules(model)
    .flatMap((r) => witnesses(model, r))
    .filter((w) => senders === undefined || (w.from !== undefined && senders.has(w.from)))
    .filter((w) => constraints.hosts === undefined || constraints.hosts.includes(hostOf(w.url)));
}

/** Requests against `model`, as `route()` calls (`from`, `url`, `method`, `headers`). */
export function meshRequest(model: MeshModel, constraints: MeshRequestConstraints = {}): fc.Arbitrary<RouteCall> {
  const clients =
    constraints.from !== undefined
      ? [...constraints.from]
      : sidecarClients(model, undefined, 64).map((p) => `${p.name}.${p.namespace}`);
  checkNonEmpty('meshRequest', 'from (the model has no sidecar client)', clients);
  const targets = targetsOf(model, constraints.hosts);
  const rules = virtualServiceRules(model);
  const mv = matchValues(rules.flatMap((r) => (r.matchRequest !== undefined ? [r.matchRequest] : [])));
  const envoy = constraints.envoyHeaders === true;
  const extraHeaders: fc.Arbitrary<Record<string, string>> = envoy
    ? fc.dictionary(
        fc.constantFrom('x-envoy-max-retries', 'x-envoy-retry-on', 'x-envoy-upstream-rq-timeout-ms'),
        fc.constantFrom('0', '1', '10', '5xx', '100'),
        { maxKeys: 2 },
      )
    : fc.constant({});
  const arbs: fc.Arbitrary<RouteCall>[] = [];
  if (constraints.ruleRequests !== false) {
    const written = ruleRequests(model, constraints);
    if (written.length > 0) {
      arbs.push(
        fc
          .tuple(fc.constantFrom(...written), extraHeaders)
          .map(([w, extra]) => ({ ...w, headers: { ...(w.headers as Record<string, string>), ...extra } })),
      );
    }
  }
  if (targets.length > 0) {
    const headerNames = mv.headerNames.length > 0 ? mv.headerNames : ['x-request-id'];
    const headerValues = mv.headerValues.length > 0 ? mv.headerValues : ['1'];
    const free = fc
      .record({
        from: fc.constantFrom(...clients),
        target: fc.constantFrom(...targets),
        formPick: fc.nat(),
        explicitPort: fc.boolean(),
        path: fc.oneof(fc.constantFrom(...mv.paths), fc.constantFrom('/x', '/api/v2/items')),
        method: fc.oneof(fc.constantFrom(...mv.methods), httpMethod()),
        headers: fc.dictionary(
          fc.constantFrom(...headerNames),
          fc.oneof(fc.constantFrom(...headerValues), fc.constantFrom('other')),
          {
            maxKeys: Math.min(2, headerNames.length),
          },
        ),
        extra: extraHeaders,
      })
      .map((r): RouteCall => {
        const fromNs = r.from.includes('.') ? r.from.slice(r.from.indexOf('.') + 1) : 'default';
        const external = (r.target as ServiceTarget & { external?: string }).external;
        let host: string;
        if (external !== undefined) host = external;
        else {
          const allowed = applicableForms(r.target, fromNs).filter(
            (f) => constraints.forms === undefined || constraints.forms.includes(f),
          );
          const form = allowed[r.formPick % Math.max(1, allowed.length)] ?? 'fqdn';
          host = hostInForm(r.target, form);
        }
        const port = r.target.port ?? 80;
        const authority = r.explicitPort || port !== 80 ? `${host}:${port}` : host;
        return {
          from: r.from,
          url: `http://${authority}${r.path}`,
          method: r.method,
          headers: { ...r.headers, ...r.extra },
        };
      });
    arbs.push(free);
  }
  checkNonEmpty('meshRequest', 'requests (the model has no HTTP service and no VirtualService rule)', arbs);
  return arbs.length === 1 ? (arbs[0] as fc.Arbitrary<RouteCall>) : fc.oneof(...arbs);
}
