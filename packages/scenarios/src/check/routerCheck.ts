/**
 * Test files of Envoy's route table check tool (`router_check_tool`, envoyproxy/envoy
 * test/tools/router_check/validation.proto `Validation`): `tests[]` of `{test_name, input, validate}`. They
 * test one raw RouteConfiguration; meshsim tests the one istiod generates for the proxy given with
 * `--from POD` (a sidecar) or `--gateway POD`, so the same file checks Istio's output.
 *
 * `input` maps as the tool builds its request (router.cc `ToolConfig::create`): `:authority`, `:path`,
 * `:method`, `x-forwarded-proto` and `:scheme` from `ssl`, `x-envoy-internal: true` from `internal`, plus
 * `additional_request_headers`; `random_value` picks among weighted clusters (`random_value % Σ weights`).
 * `validate` maps `cluster_name`, `virtual_host_name`, `host_rewrite`, `path_rewrite`, `path_redirect`
 * (the full redirect URI, `newUri`), `code_redirect` and `virtual_cluster_name` (Istio configures none);
 * `""` expects no route. Header matchers on the rewritten request or the response
 * (`request_header_matches`, `response_header_matches`, `*_header_fields`) and `runtime` are reported as
 * not evaluated.
 */
import type { Reader } from './parse.js';
import type { Expectations, RuleTest } from './types.js';

type Json = Record<string, unknown>;

const INPUT = [
  'authority',
  'path',
  'method',
  'random_value',
  'ssl',
  'internal',
  'additional_request_headers',
  'additional_response_headers',
  'runtime',
  'additional_headers',
];
const VALIDATE = [
  'cluster_name',
  'virtual_cluster_name',
  'virtual_host_name',
  'host_rewrite',
  'path_rewrite',
  'path_redirect',
  'code_redirect',
  'request_header_matches',
  'response_header_matches',
  'request_header_fields',
  'response_header_fields',
  'header_fields',
  'custom_header_fields',
];

/** Expectations only router_check_tool has, evaluated by `evaluate.ts`. */
export interface RouterCheckExpectations extends Expectations {
  readonly virtualHost?: string;
  readonly virtualCluster?: string;
  readonly hostRewrite?: string;
  readonly pathRewrite?: string;
  readonly pathRedirect?: string;
  readonly codeRedirect?: number;
  /** `cluster_name: ""`: no route entry expected. */
  readonly noRoute?: boolean;
}

/** True when `root` looks like a router_check_tool test file. */
export function isRouterCheckFile(root: Json): boolean {
  const tests = root['tests'];
  return (
    Array.isArray(tests) &&
    tests.length > 0 &&
    tests.every((t) => typeof t === 'object' && t !== null && 'input' in t && 'validate' in t)
  );
}

// proto3 JSON accepts both the proto field name and its lowerCamelCase JSON name.
function field(o: Json, snake: string): unknown {
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return o[snake] ?? o[camel];
}
const snakeOf = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The tests of a router_check_tool file, as meshsim rule tests (sender: the CLI's `--from`/`--gateway`). */
export function routerCheckTests(root: Json, r: Reader): RuleTest[] {
  for (const k of Object.keys(root))
    if (k !== 'tests') r.fail([k], `unknown field "${k}" in a router_check_tool file (only tests)`, 'key');
  return (root['tests'] as unknown[]).map((t, i): RuleTest => {
    const path = ['tests', i];
    const o = r.object(t, path, 'a test');
    const name = r.string(field(o, 'test_name'), [...path, 'test_name']);
    const input = r.object(o['input'], [...path, 'input'], 'input');
    const validate = r.object(o['validate'], [...path, 'validate'], 'validate');
    for (const k of Object.keys(input))
      if (!INPUT.includes(snakeOf(k))) r.fail([...path, 'input', k], `unknown field "${k}" of input`, 'key');
    for (const k of Object.keys(validate))
      if (!VALIDATE.includes(snakeOf(k))) r.fail([...path, 'validate', k], `unknown field "${k}" of validate`, 'key');
    const authority = r.string(field(input, 'authority'), [...path, 'input', 'authority']);
    const p = r.string(field(input, 'path'), [...path, 'input', 'path']);
    const method =
      field(input, 'method') === undefined ? 'GET' : r.string(field(input, 'method'), [...path, 'input', 'method']);
    const ssl = field(input, 'ssl') === true;
    const headers: Record<string, string> = { 'x-forwarded-proto': ssl ? 'https' : 'http' };
    if (field(input, 'internal') === true) headers['x-envoy-internal'] = 'true';
    const extra = field(input, 'additional_request_headers') ?? field(input, 'additional_headers');
    if (extra !== undefined) {
      if (!Array.isArray(extra))
        r.fail([...path, 'input', 'additional_request_headers'], 'must be a list of {key, value}');
      (extra as unknown[]).forEach((h, j) => {
        const hv = r.object(h, [...path, 'input', 'additional_request_headers', j], 'a header');
        const key = (hv['key'] ?? hv['field']) as unknown;
        headers[r.string(key, [...path, 'input', 'additional_request_headers', j, 'key']).toLowerCase()] = String(
          hv['value'] ?? '',
        );
      });
    }
    const randomValue =
      field(input, 'random_value') === undefined
        ? 0
        : r.integer(
            Number(field(input, 'random_value')),
            [...path, 'input', 'random_value'],
            0,
            Number.MAX_SAFE_INTEGER,
          );
    const unsupported: string[] = [];
    if (field(input, 'runtime') !== undefined)
      unsupported.push('input.runtime (runtime keys are not modelled; Istio sets no runtime fractions)');
    if (field(input, 'additional_response_headers') !== undefined)
      unsupported.push('input.additional_response_headers');
    const exp: Record<string, unknown> = {};
    const str = (k: string): string | undefined => {
      const v = field(validate, k);
      if (v === undefined) return undefined;
      if (typeof v !== 'string') r.fail([...path, 'validate', k], 'must be a string');
      return v as string;
    };
    const cluster = str('cluster_name');
    if (cluster === '') exp['noRoute'] = true;
    else if (cluster !== undefined) exp['cluster'] = cluster;
    const vhost = str('virtual_host_name');
    if (vhost === '') exp['noRoute'] = true;
    else if (vhost !== undefined) exp['virtualHost'] = vhost;
    const vc = str('virtual_cluster_name');
    if (vc !== undefined) exp['virtualCluster'] = vc;
    const hr = str('host_rewrite');
    if (hr !== undefined) exp['hostRewrite'] = hr;
    const pr = str('path_rewrite');
    if (pr !== undefined) exp['pathRewrite'] = pr;
    const pd = str('path_redirect');
    if (pd !== undefined) exp['pathRedirect'] = pd;
    const cr = field(validate, 'code_redirect');
    if (cr !== undefined) exp['codeRedirect'] = r.integer(Number(cr), [...path, 'validate', 'code_redirect'], 0, 999);
    for (const k of [
      'request_header_matches',
      'response_header_matches',
      'request_header_fields',
      'response_header_fields',
      'header_fields',
      'custom_header_fields',
    ]) {
      if (field(validate, k) !== undefined) unsupported.push(`validate.${k} (header mutations are not evaluated)`);
    }
    return {
      name,
      request: { url: `http://${authority}${p.startsWith('/') ? p : `/${p}`}`, method, headers },
      expect: exp as RouterCheckExpectations,
      file: r.src.file,
      line: r.line(path),
      ...(unsupported.length > 0 ? { unsupported } : {}),
      randomValue,
    };
  });
}
