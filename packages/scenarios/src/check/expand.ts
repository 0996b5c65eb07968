/**
 * Lists in a test's request expand to every combination (a cartesian product, in the order written): a
 * test with two URLs and three values of one header is six cases, each named after what varies.
 */
import type { RequestCase, RequestSpec } from './types.js';

/** One expanded request and the `field=value` labels of the fields that were lists. */
export interface ExpandedRequest {
  readonly request: Omit<RequestCase, 'from' | 'gateway'> & {
    readonly from?: string;
    readonly gateway?: string;
    readonly external?: boolean | string;
  };
  readonly labels: readonly string[];
}

type Axis = {
  readonly label: string;
  readonly values: readonly string[];
  readonly set: (r: Record<string, unknown>, v: string) => void;
};

const list = (v: string | readonly string[] | undefined): readonly string[] | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? [v] : v;

/** Every combination of `spec`'s list values. */
export function expandRequest(spec: RequestSpec): ExpandedRequest[] {
  const axes: Axis[] = [];
  const add = (label: string, values: readonly string[] | undefined, set: Axis['set']): void => {
    if (values !== undefined) axes.push({ label, values, set });
  };
  add('from', list(spec.from), (r, v) => (r['from'] = v));
  add('gateway', list(spec.gateway), (r, v) => (r['gateway'] = v));
  add('url', list(spec.url), (r, v) => (r['url'] = v));
  add('method', list(spec.method), (r, v) => (r['method'] = v));
  add('tls', list(spec.tls as string | readonly string[] | undefined), (r, v) => (r['tls'] = v));
  for (const k of Object.keys(spec.headers ?? {}).sort()) {
    add(`headers.${k}`, list(spec.headers?.[k]), (r, v) => ((r['headers'] as Record<string, string>)[k] = v));
  }
  let cases: { r: Record<string, unknown>; labels: string[] }[] = [{ r: { headers: {} }, labels: [] }];
  for (const axis of axes) {
    cases = cases.flatMap((c) =>
      axis.values.map((v) => ({
        r: (() => {
          const next = { ...c.r, headers: { ...(c.r['headers'] as Record<string, string>) } };
          axis.set(next, v);
          return next;
        })(),
        labels: axis.values.length > 1 ? [...c.labels, `${axis.label}=${v}`] : c.labels,
      })),
    );
  }
  return cases.map(({ r, labels }) => ({
    request: {
      url: r['url'] as string,
      method: ((r['method'] as string | undefined) ?? 'GET').toUpperCase(),
      headers: r['headers'] as Record<string, string>,
      ...(r['from'] !== undefined ? { from: r['from'] as string } : {}),
      ...(r['gateway'] !== undefined ? { gateway: r['gateway'] as string } : {}),
      ...(spec.external !== undefined && spec.external !== false ? { external: spec.external } : {}),
      ...(spec.protocol !== undefined ? { protocol: spec.protocol } : {}),
      ...(r['tls'] !== undefined ? { tls: r['tls'] as RequestCase['tls'] & string } : {}),
      ...(spec.sni !== undefined ? { sni: spec.sni } : {}),
    },
    labels,
  }));
}
