/**
 * Reads a rule-test file: meshsim's format (see types.ts) or, recognised by its `tests[].input` /
 * `tests[].validate`, a test file of Envoy's `router_check_tool` (see routerCheck.ts). Every problem is a
 * `ConfigError` naming `file:line:column` and the field, so `meshsim check` prints one clear line and exits 2.
 */
import { ConfigError } from '@meshsim/sim-core';
import { didYouMean } from '../schema/didYouMean.js';
import { parseYamlSource, type YamlSource } from '../load/yamlSource.js';
import { PROPERTIES, type PropertySpec } from './properties.js';
import { isRouterCheckFile, routerCheckTests } from './routerCheck.js';
import type { Expectations, RequestSpec, RuleTest, RuleTestFile } from './types.js';

type Json = Record<string, unknown>;
type Path = (string | number)[];

const TOP = ['manifests', 'defaults', 'tests', 'properties'];
const TEST = ['name', 'request', 'expect'];
const REQUEST = ['from', 'gateway', 'external', 'url', 'method', 'headers', 'protocol', 'tls', 'sni'];
const EXPECT = [
  'host',
  'subset',
  'port',
  'cluster',
  'virtualService',
  'route',
  'status',
  'error',
  'redirect',
  'rewrite',
  'fault',
  'timeout',
  'retries',
  'share',
  'tolerance',
];
const ERRORS = [
  'no_listener',
  'no_filter_chain',
  'multiple_filter_chains',
  'no_virtual_host',
  'no_route',
  'tls_redirect',
  'protocol_error',
  'tls_error',
  'mtls_error',
  'dns_failure',
];

const fieldPath = (path: Path): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s === '' ? p : `${s}.${p}`), '');

/** A reader over one parsed file that fails with located errors. */
class Reader {
  constructor(readonly src: YamlSource) {}
  fail(path: Path, message: string, at: 'key' | 'value' = 'value'): never {
    const { line, column } = this.src.position(path, at);
    throw new ConfigError(message, { file: this.src.file, line, column, field: fieldPath(path) }, 'check/format');
  }
  line(path: Path): number {
    return this.src.position(path).line;
  }
  object(v: unknown, path: Path, what: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `${what} must be a mapping`);
    return v as Json;
  }
  known(o: Json, path: Path, fields: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (fields.includes(k)) continue;
      const hint = didYouMean(k, fields);
      this.fail(
        [...path, k],
        `unknown field "${k}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ` (known: ${fields.join(', ')})`}`,
        'key',
      );
    }
  }
  string(v: unknown, path: Path): string {
    if (typeof v !== 'string' || v === '') this.fail(path, 'must be a non-empty string');
    return v as string;
  }
  stringOrList(v: unknown, path: Path): string | string[] {
    if (Array.isArray(v)) {
      if (v.length === 0) this.fail(path, 'an empty list expands to no test');
      return v.map((x, i) => this.string(x, [...path, i]));
    }
    return this.string(v, path);
  }
  integer(v: unknown, path: Path, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      this.fail(path, `must be an integer in [${min}, ${max}]`);
    return v as number;
  }
  number(v: unknown, path: Path): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'must be a number');
    return v as number;
  }
}

function request(r: Reader, v: unknown, path: Path): RequestSpec {
  const o = r.object(v, path, 'request');
  r.known(o, path, REQUEST);
  const out: Record<string, unknown> = {};
  for (const k of ['from', 'gateway', 'url', 'method'] as const)
    if (o[k] !== undefined) out[k] = r.stringOrList(o[k], [...path, k]);
  if (o['external'] !== undefined) {
    if (typeof o['external'] !== 'boolean' && typeof o['external'] !== 'string')
      r.fail([...path, 'external'], 'must be true or a gateway pod');
    out['external'] = o['external'];
  }
  if (o['headers'] !== undefined) {
    const h = r.object(o['headers'], [...path, 'headers'], 'headers');
    const headers: Record<string, string | string[]> = {};
    for (const [k, hv] of Object.entries(h)) {
      const value = typeof hv === 'number' || typeof hv === 'boolean' ? String(hv) : hv;
      if (Array.isArray(value))
        headers[k.toLowerCase()] = value.map((x, i) =>
          typeof x === 'string' ? x : r.fail([...path, 'headers', k, i], 'header values are strings'),
        );
      else if (typeof value === 'string') headers[k.toLowerCase()] = value;
      else r.fail([...path, 'headers', k], 'header values are strings (or lists of strings)');
    }
    out['headers'] = headers;
  }
  if (o['protocol'] !== undefined) {
    if (!['http', 'http2', 'tcp'].includes(o['protocol'] as string))
      r.fail([...path, 'protocol'], 'must be http, http2 or tcp');
    out['protocol'] = o['protocol'];
  }
  if (o['tls'] !== undefined) {
    const tls = r.stringOrList(o['tls'], [...path, 'tls']);
    for (const t of Array.isArray(tls) ? tls : [tls])
      if (!['plaintext', 'tls', 'mtls'].includes(t)) r.fail([...path, 'tls'], 'must be plaintext, tls or mtls');
    out['tls'] = tls;
  }
  if (o['sni'] !== undefined) out['sni'] = r.string(o['sni'], [...path, 'sni']);
  return out as RequestSpec;
}

function expectations(r: Reader, v: unknown, path: Path): Expectations {
  const o = r.object(v, path, 'expect');
  r.known(o, path, EXPECT);
  if (Object.keys(o).length === 0) r.fail(path, 'expect names nothing to check');
  const at = (k: string): Path => [...path, k];
  for (const k of ['host', 'subset', 'cluster', 'virtualService', 'timeout'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') r.fail(at(k), 'must be a string');
  }
  if (o['port'] !== undefined) r.integer(o['port'], at('port'), 1, 65535);
  if (o['status'] !== undefined) {
    const s = o['status'];
    if (Array.isArray(s)) s.forEach((x, i) => r.integer(x, [...at('status'), i], 0, 999));
    else r.integer(s, at('status'), 0, 999);
  }
  if (o['error'] !== undefined && !ERRORS.includes(o['error'] as string)) {
    r.fail(at('error'), `must be one of ${ERRORS.join(', ')}`);
  }
  if (o['route'] !== undefined) {
    const ro = r.object(o['route'], at('route'), 'route');
    r.known(ro, at('route'), ['http', 'match', 'name']);
    if (ro['http'] !== undefined) r.integer(ro['http'], [...at('route'), 'http'], 0, 10_000);
    if (ro['match'] !== undefined) r.integer(ro['match'], [...at('route'), 'match'], 0, 10_000);
  }
  if (o['redirect'] !== undefined)
    r.known(r.object(o['redirect'], at('redirect'), 'redirect'), at('redirect'), ['location', 'status']);
  if (o['rewrite'] !== undefined)
    r.known(r.object(o['rewrite'], at('rewrite'), 'rewrite'), at('rewrite'), ['path', 'authority']);
  if (o['fault'] !== undefined && o['fault'] !== 'none') {
    const f = r.object(o['fault'], at('fault'), 'fault (or none)');
    r.known(f, at('fault'), ['abort', 'delay']);
    if (f['abort'] !== undefined)
      r.known(
        r.object(f['abort'], [...at('fault'), 'abort'], 'abort'),
        [...at('fault'), 'abort'],
        ['httpStatus', 'grpcStatus', 'percentage'],
      );
    if (f['delay'] !== undefined)
      r.known(
        r.object(f['delay'], [...at('fault'), 'delay'], 'delay'),
        [...at('fault'), 'delay'],
        ['fixedDelay', 'percentage'],
      );
  }
  if (o['retries'] !== undefined && o['retries'] !== 'none') {
    r.known(r.object(o['retries'], at('retries'), 'retries (or none)'), at('retries'), [
      'attempts',
      'perTryTimeout',
      'retryOn',
    ]);
  }
  if (o['share'] !== undefined) {
    const s = r.object(o['share'], at('share'), 'share');
    for (const [k, x] of Object.entries(s))
      if (r.number(x, [...at('share'), k]) < 0) r.fail([...at('share'), k], 'must be ≥ 0');
  }
  if (o['tolerance'] !== undefined && r.number(o['tolerance'], at('tolerance')) < 0)
    r.fail(at('tolerance'), 'must be ≥ 0');
  return o as Expectations;
}

/** Parses a rule-test file (meshsim's format or router_check_tool's). */
export function parseRuleTests(file: string, text: string): RuleTestFile {
  const src = parseYamlSource(file, text);
  const r = new Reader(src);
  const root = r.object(src.value ?? {}, [], 'a rule-test file');
  if (isRouterCheckFile(root)) {
    return { file, format: 'router_check_tool', manifests: [], tests: routerCheckTests(root, r), properties: [] };
  }
  r.known(root, [], TOP);
  const manifests =
    root['manifests'] === undefined ? [] : Array.isArray(root['manifests']) ? root['manifests'] : [root['manifests']];
  manifests.forEach((m, i) => r.string(m, ['manifests', i]));
  const defaults = root['defaults'] === undefined ? {} : request(r, root['defaults'], ['defaults']);
  const properties = root['properties'] === undefined ? [] : propertySpecs(r, root['properties']);
  if (root['tests'] === undefined && properties.length > 0)
    return { file, format: 'meshsim', manifests: manifests as string[], tests: [], properties };
  if (!Array.isArray(root['tests']) || root['tests'].length === 0) r.fail(['tests'], 'tests must be a non-empty list');
  const tests = (root['tests'] as unknown[]).map((t, i): RuleTest => {
    const path = ['tests', i];
    const o = r.object(t, path, 'a test');
    r.known(o, path, TEST);
    const name = o['name'] === undefined ? `test ${i + 1}` : r.string(o['name'], [...path, 'name']);
    if (o['expect'] === undefined) r.fail(path, 'a test needs expect');
    const req = o['request'] === undefined ? {} : request(r, o['request'], [...path, 'request']);
    const merged: RequestSpec = {
      ...defaults,
      ...req,
      headers: { ...(defaults.headers ?? {}), ...(req.headers ?? {}) },
    };
    if (merged.url === undefined) r.fail([...path, 'request'], 'request.url is required (here or in defaults)');
    const senders = [merged.from, merged.gateway, merged.external].filter((x) => x !== undefined && x !== false).length;
    if (req.from !== undefined || req.gateway !== undefined || req.external !== undefined) {
      // A test's own sender replaces the default one.
      const own = { from: req.from, gateway: req.gateway, external: req.external };
      return {
        name,
        request: { ...merged, ...own },
        expect: expectations(r, o['expect'], [...path, 'expect']),
        file,
        line: r.line(path),
      };
    }
    if (senders > 1) r.fail([...path, 'request'], 'give one of from, gateway and external');
    return {
      name,
      request: merged,
      expect: expectations(r, o['expect'], [...path, 'expect']),
      file,
      line: r.line(path),
    };
  });
  return { file, format: 'meshsim', manifests: manifests as string[], tests, properties };
}

/** `properties:` — names, or one-key maps `name: {options}`. */
function propertySpecs(r: Reader, v: unknown): PropertySpec[] {
  if (!Array.isArray(v)) r.fail(['properties'], 'properties must be a list of property names (or name: {options})');
  const names = Object.keys(PROPERTIES);
  return (v as unknown[]).map((p, i): PropertySpec => {
    const path = ['properties', i];
    let name: string;
    let options: Record<string, unknown> = {};
    if (typeof p === 'string') name = p;
    else {
      const o = r.object(p, path, 'a property');
      const keys = Object.keys(o);
      if (keys.length !== 1) r.fail(path, 'write a property as its name, or as name: {options}');
      name = keys[0] as string;
      options = o[name] === null || o[name] === undefined ? {} : r.object(o[name], [...path, name], 'the options');
    }
    const entry = PROPERTIES[name];
    if (entry === undefined) {
      const hint = didYouMean(name, names);
      r.fail(
        path,
        `unknown property "${name}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ` (known: ${names.join(', ')})`}`,
      );
    }
    r.known(options, [...path, name], [...entry.options, 'numRuns']);
    if (options['numRuns'] !== undefined) r.integer(options['numRuns'], [...path, name, 'numRuns'], 1, 100_000);
    return { name, options, file: r.src.file, line: r.line(path) };
  });
}

export type { Reader };
