/**
 * The requests a generator sends: a weighted mix of templates (method, URL, headers), e.g. 90 % anonymous
 * `GET /productpage` and 10 % with `end-user: jason`. One uniform draw per request picks the template.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import type { UniformSource } from '../app/distribution.js';

/** One kind of request in a mix. */
export interface RequestTemplate {
  /** @defaultValue `GET` */
  readonly method?: string;
  /**
   * `http://host[:port]/path?query` as a client would type it; `host[:port]` becomes `:authority` exactly as
   * written (curl sends the port only when given), the rest becomes `:path`.
   */
  readonly url: string;
  /** Request headers (names are lower-cased). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request body size in bytes.
   * @defaultValue 0
   */
  readonly bodyBytes?: number;
  /**
   * Relative weight in the mix (≥ 0).
   * @defaultValue 1
   */
  readonly weight?: number;
}

/** A template after parsing. */
export interface RequestShape {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  readonly authority: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
}

/** A validated mix. */
export interface RequestMix {
  readonly shapes: readonly RequestShape[];
  /** Picks one shape with probability weight / Σ weights, from one uniform draw. */
  pick(rng: UniformSource): RequestShape;
}

const URL_RE = /^(https?):\/\/([^/?#\s]+)([^#\s]*)$/;

/** Parses a template's URL into scheme, authority and path (`/` when the URL has none). */
export function parseRequestUrl(
  url: string,
  where: SourceLocation = {},
): Pick<RequestShape, 'scheme' | 'authority' | 'path'> {
  const m = URL_RE.exec(url);
  if (m === null) {
    throw new ConfigError(`invalid url ${JSON.stringify(url)} (use http://host[:port]/path)`, where, 'traffic');
  }
  const rest = m[3] ?? '';
  const path = rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}`;
  return { scheme: m[1] as 'http' | 'https', authority: m[2] as string, path };
}

/** Validates the templates and returns the mix. Throws a {@link ConfigError} naming the bad field. */
export function compileRequestMix(templates: readonly RequestTemplate[], where: SourceLocation = {}): RequestMix {
  const field = (f: string): SourceLocation => ({
    ...where,
    field: where.field === undefined ? f : `${where.field}${f}`,
  });
  if (!Array.isArray(templates) || templates.length === 0) {
    throw new ConfigError('a request mix needs at least one request', where, 'traffic');
  }
  const weights: number[] = [];
  const shapes = templates.map((t, i) => {
    const weight = t.weight ?? 1;
    if (!(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
      throw new ConfigError(`weight must be a number ≥ 0, got ${t.weight}`, field(`[${i}].weight`), 'traffic');
    }
    const bodyBytes = t.bodyBytes ?? 0;
    if (!(Number.isInteger(bodyBytes) && bodyBytes >= 0)) {
      throw new ConfigError(
        `bodyBytes must be an integer ≥ 0, got ${t.bodyBytes}`,
        field(`[${i}].bodyBytes`),
        'traffic',
      );
    }
    weights.push(weight);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const url = parseRequestUrl(t.url, field(`[${i}].url`));
    const shape: RequestShape = {
      method: t.method ?? 'GET',
      scheme: url.scheme,
      authority: url.authority,
      path: url.path,
      headers,
      bodyBytes,
    };
    return shape;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new ConfigError('the weights of a request mix must have a positive total', where, 'traffic');
  // Cumulative thresholds over [0, 1): shape i is picked when u < cumulative[i].
  const cumulative = Float64Array.from(
    weights,
    (
      (acc) => (w: number) =>
        (acc += w) / total
    )(0),
  );
  const last = weights.reduce((best, w, i) => (w > 0 ? i : best), 0);
  return {
    shapes,
    pick(rng: UniformSource): RequestShape {
      const u = rng.float();
      for (let i = 0; i < cumulative.length; i++)
        if (u < (cumulative[i] as number) && (weights[i] as number) > 0) return shapes[i] as RequestShape;
      return shapes[last] as RequestShape; // u at the rounding edge of the last positive weight
    },
  };
}
