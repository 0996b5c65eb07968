/**
 * An expectation's `of` (and `share.to`) as a predicate over request outcomes. A request is one
 * application-level call as its caller saw it (Istio's `reporter="source"` view): its destination is where
 * the caller's proxy routed it — the cluster's service and subset, and the pod that served the last try —
 * and its status, response flags and latency are the caller's. Workload and version come from the
 * serving instance (Istio's `destination_workload`, `destination_version`), the source from the calling
 * instance (`source_workload`, `source_workload_namespace`).
 */
import type { RequestOutcome } from '@meshsim/sim-core/envoy';
import type { RequestFilter } from '../schema/types/expect.js';

/** What the filter needs to know about a workload instance (a pod or a VM). */
export interface InstanceInfo {
  readonly namespace: string;
  /** Istio's workload name: the Deployment (StatefulSet, bare Pod, WorkloadEntry or its group). */
  readonly workload: string;
  /** The instance's `version` label (Istio's `destination_version`), when it has one. */
  readonly version?: string;
}

/** Looks instances up as outcomes name them. */
export interface OutcomeContext {
  /** The serving instance of a destination pod key (`namespace/name`). */
  destination(podKey: string): InstanceInfo | undefined;
  /** The calling instance of an outcome's source label (`pod ns/name`, `vm ns/name`, `external client`). */
  source(label: string): InstanceInfo | undefined;
  /** The scenario generator that sent a request, from the world generator's name. */
  generator(worldName: string): string | undefined;
  /**
   * The service port a request was sent to, when it can be told: from the upstream host's port, mapped
   * back through the Service's `targetPort` (a local reply that reached no host has none).
   */
  port?(outcome: RequestOutcome): number | undefined;
}

/** A compiled request filter. */
export type OutcomePredicate = (outcome: RequestOutcome) => boolean;

/**
 * A service host as a filter names it: a name without dots is `<name>.<namespace>.svc.cluster.local`
 * (Istio's short-name rule, with the filter's namespace, default `default`).
 */
export function serviceHost(service: string, namespace: string | undefined): string {
  return service.includes('.') ? service : `${service}.${namespace ?? 'default'}.svc.cluster.local`;
}

/** The namespace of a Kubernetes service host (`name.ns.svc.<domain>`), if it is one. */
function hostNamespace(host: string): string | undefined {
  const parts = host.split('.');
  return parts.length >= 3 && parts[2] === 'svc' ? parts[1] : undefined;
}

/** Whether a status matches `responseCode`: a code (`503`), a class (`5xx`), or `0` for no response. */
export function statusMatches(status: number, code: number | string): boolean {
  if (typeof code === 'number') return status === code;
  const m = /^([1-5])xx$/i.exec(code);
  if (m !== null) return Math.floor(status / 100) === Number(m[1]);
  return status === Number(code);
}

/** Whether the response-flags string (`UO`, `URX,UF`, `-`) carries `flag` (`-` matches only "no flag"). */
export function flagMatches(flags: string, flag: string): boolean {
  if (flag === '-') return flags === '-';
  return flags === flag || flags.split(',').includes(flag);
}

/** Compiles a filter; every field given must match. */
export function compileFilter(filter: RequestFilter, ctx: OutcomeContext): OutcomePredicate {
  const tests: OutcomePredicate[] = [];
  if (filter.traffic !== undefined) {
    const name = filter.traffic;
    tests.push((o) => o.generator !== undefined && ctx.generator(o.generator) === name);
  }
  const src = filter.source;
  if (src !== undefined && (src.namespace !== undefined || src.workload !== undefined)) {
    tests.push((o) => {
      const i = ctx.source(o.source);
      if (i === undefined) return false;
      return (
        (src.namespace === undefined || i.namespace === src.namespace) &&
        (src.workload === undefined || i.workload === src.workload)
      );
    });
  }
  const d = filter.destination;
  if (d !== undefined) {
    if (d.service !== undefined) {
      const host = serviceHost(d.service, d.namespace);
      tests.push((o) => o.destination.service === host);
    } else if (d.namespace !== undefined) {
      const ns = d.namespace;
      tests.push((o) => {
        const pod = o.destination.pod;
        const i = pod === undefined ? undefined : ctx.destination(pod);
        return (i?.namespace ?? hostNamespace(o.destination.service)) === ns;
      });
    }
    if (d.subset !== undefined) {
      const subset = d.subset;
      tests.push((o) => o.destination.subset === subset);
    }
    if (d.port !== undefined) {
      const port = d.port;
      tests.push((o) => ctx.port?.(o) === port);
    }
    if (d.workload !== undefined || d.version !== undefined) {
      tests.push((o) => {
        const pod = o.destination.pod;
        const i = pod === undefined ? undefined : ctx.destination(pod);
        if (i === undefined) return false;
        return (
          (d.workload === undefined || i.workload === d.workload) &&
          (d.version === undefined || i.version === d.version)
        );
      });
    }
  }
  if (filter.responseCode !== undefined) {
    const code = filter.responseCode;
    tests.push((o) => statusMatches(o.status, code));
  }
  if (filter.responseFlag !== undefined) {
    const flag = filter.responseFlag;
    tests.push((o) => flagMatches(o.responseFlags, flag));
  }
  const w = filter.window;
  if (w !== undefined) {
    const start = w.start ?? 0;
    const end = w.end ?? Infinity;
    tests.push((o) => o.startTime >= start && o.startTime < end);
  }
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0] as OutcomePredicate;
  return (o) => {
    for (const t of tests) if (!t(o)) return false;
    return true;
  };
}
