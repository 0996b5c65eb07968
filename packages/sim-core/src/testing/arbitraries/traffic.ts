/**
 * Traffic profiles in the scenario file's `traffic` form (docs/scenario-format.md): open-loop generators
 * (`rate`, Poisson or constant arrivals) and closed-loop ones (`connections` at `qps`, like
 * `fortio load -c N -qps Q`), each sending a weighted mix of requests from a client pod to a Service.
 */
import fc from 'fast-check';
import { checkInteger, checkNonEmpty, orDefault } from './_constraints.js';
import type { GeneratedMesh } from './mesh.js';
import { headers, requestPath } from './request.js';

/** One request template of a generator's mix. */
export interface TrafficRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly weight?: number;
}

/** One generator, as written in a scenario's `traffic` list. */
export interface TrafficProfile {
  readonly name: string;
  readonly from: {
    readonly namespace: string;
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
  };
  readonly mix: readonly TrafficRequest[];
  readonly rate?: number;
  readonly arrival?: 'poisson' | 'constant';
  readonly connections?: number;
  readonly qps?: number;
  readonly requests: number;
}

/** Constraints of {@link trafficProfile}. */
export interface TrafficProfileConstraints {
  /** Client namespaces with a `sleep` pod (as {@link GeneratedMesh.clients}: `sleep.<namespace>`). */
  readonly clients: readonly string[];
  /** Target URLs' authorities (`reviews.app:9080`). */
  readonly targets: readonly string[];
  /** @defaultValue 2 */
  readonly maxGenerators?: number;
  /** Requests per generator. @defaultValue 100 */
  readonly maxRequests?: number;
  /** Header names requests may carry. @defaultValue `['end-user', 'x-canary']` */
  readonly headerNames?: readonly string[];
}

/** The clients and targets of a generated mesh, for {@link trafficProfile}. */
export function trafficTargetsOf(m: GeneratedMesh): Pick<TrafficProfileConstraints, 'clients' | 'targets'> {
  return {
    clients: m.clients,
    targets: m.services.map((s) => `${s.name}.${s.namespace}${s.port === 80 ? '' : `:${s.port}`}`),
  };
}

/** A list of traffic generators with unique names. */
export function trafficProfile(constraints: TrafficProfileConstraints): fc.Arbitrary<TrafficProfile[]> {
  checkNonEmpty('trafficProfile', 'clients', constraints.clients);
  checkNonEmpty('trafficProfile', 'targets', constraints.targets);
  const maxGenerators = orDefault(constraints.maxGenerators, 2);
  checkInteger('trafficProfile', 'maxGenerators', maxGenerators, 1, 50);
  const maxRequests = orDefault(constraints.maxRequests, 100);
  checkInteger('trafficProfile', 'maxRequests', maxRequests, 1, 10_000_000);
  const clientNamespaces = constraints.clients.map((c) => {
    const dot = c.indexOf('.');
    if (dot < 0) throw new RangeError(`trafficProfile: client ${c} must be POD.NAMESPACE`);
    return { app: c.slice(0, dot), namespace: c.slice(dot + 1) };
  });
  const request = fc
    .record({
      target: fc.constantFrom(...constraints.targets),
      path: requestPath(),
      method: fc.constantFrom('GET', 'POST'),
      headers: headers({ names: constraints.headerNames ?? ['end-user', 'x-canary'], maxHeaders: 1 }),
      weight: fc.integer({ min: 1, max: 10 }),
    })
    .map((r) => ({
      url: `http://${r.target}${r.path}`,
      ...(r.method !== 'GET' ? { method: r.method } : {}),
      ...(Object.keys(r.headers).length > 0 ? { headers: r.headers } : {}),
      weight: r.weight,
    }));
  const load = fc.oneof(
    fc.record({
      rate: fc.integer({ min: 1, max: 500 }),
      arrival: fc.constantFrom('poisson' as const, 'constant' as const),
    }),
    fc.record({ connections: fc.integer({ min: 1, max: 16 }), qps: fc.integer({ min: 1, max: 200 }) }),
  );
  const generator = fc.record({
    client: fc.constantFrom(...clientNamespaces),
    mix: fc.array(request, { minLength: 1, maxLength: 3 }),
    load,
    requests: fc.integer({ min: 1, max: maxRequests }),
  });
  return fc.array(generator, { minLength: 1, maxLength: maxGenerators }).map((gs) =>
    gs.map((g, i) => ({
      name: `traffic-${i}`,
      from: { namespace: g.client.namespace, selector: { matchLabels: { app: g.client.app } } },
      mix: g.mix,
      ...g.load,
      requests: g.requests,
    })),
  );
}
