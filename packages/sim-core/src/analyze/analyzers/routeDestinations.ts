/**
 * The destinations of a VirtualService with where they sit (`pkg/config/analysis/analyzers/virtualservice/
 * util.go` `getRouteDestinations`, `getHTTPMirrorDestinations`): every `http`/`tcp`/`tls` route destination,
 * and HTTP `mirror` / `mirrors[]` destinations.
 */
import type { FieldPath } from '../../k8s/object.js';
import type { VirtualServiceSpec } from '../../istio/model/config.js';

/** A destination and its field path. */
export interface AnnotatedDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly kind: 'route' | 'mirror';
  /** Path of the `host` field, e.g. `['spec', 'http', 0, 'route', 1, 'destination', 'host']`. */
  readonly hostPath: FieldPath;
}

type Dest = { host?: string; subset?: string; port?: { number?: number } } | undefined;

function annotated(d: Dest, kind: AnnotatedDestination['kind'], hostPath: FieldPath): AnnotatedDestination[] {
  if (d?.host === undefined) return [];
  return [
    {
      host: d.host,
      ...(d.subset !== undefined && d.subset !== '' ? { subset: d.subset } : {}),
      ...(d.port?.number !== undefined ? { port: d.port.number } : {}),
      kind,
      hostPath,
    },
  ];
}

/** Route destinations of `http`, `tcp` and `tls` rules. */
export function routeDestinations(spec: VirtualServiceSpec): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  for (const rule of ['http', 'tcp', 'tls'] as const) {
    (spec[rule] ?? []).forEach((r, i) => {
      (r.route ?? []).forEach((rd, j) =>
        out.push(...annotated(rd.destination as Dest, 'route', ['spec', rule, i, 'route', j, 'destination', 'host'])),
      );
    });
  }
  return out;
}

/** HTTP mirror destinations. */
export function mirrorDestinations(spec: VirtualServiceSpec): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  (spec.http ?? []).forEach((r, i) => {
    out.push(...annotated(r.mirror as Dest, 'mirror', ['spec', 'http', i, 'mirror', 'host']));
    (r.mirrors ?? []).forEach((mp, j) =>
      out.push(
        ...annotated(mp.destination as Dest, 'mirror', ['spec', 'http', i, 'mirrors', j, 'destination', 'host']),
      ),
    );
  });
  return out;
}
