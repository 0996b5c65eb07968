/**
 * Requests written for a rule: the senders a VirtualService rule applies to (sidecars for the mesh, the
 * gateway pods of its Gateways; narrowed by `sourceLabels`, `sourceNamespace`), the hosts and ports it
 * routes, and the least request satisfying its match block — exactly the conditions it names and nothing
 * else, so earlier rules that need more do not catch it. Regex conditions are sampled with fast-check's
 * `stringMatching` from a fixed seed and kept only when RE2 agrees (Envoy's `safe_regex` is an RE2 full match).
 */
import fc from 'fast-check';
import { re2FullMatch } from '../../envoy/router/regex.js';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { MeshProxy } from '../../istio/model/proxy.js';
import type { HTTPMatchRequest, StringMatch } from '../../istio/xds/api.js';
import { labelsMatch } from '../../k8s/labels.js';
import type { VirtualServiceRule } from './rules.js';

/** Where a rule can be exercised from: a sender, a host and a port. */
export interface RuleContext {
  readonly sender: { readonly from: string } | { readonly gateway: string };
  readonly host: string;
  readonly port: number;
}

const SAMPLE_SEED = 20_261_122;

/** Values satisfying `m` (one for exact/prefix/present, a few sampled for a regex). */
export function valuesFor(m: StringMatch | undefined, present = 'x'): string[] {
  if (m === undefined) return [present];
  if (m.exact !== undefined) return [m.exact];
  if (m.prefix !== undefined) return [m.prefix];
  if (m.regex !== undefined) {
    if (m.regex === '*') return [present];
    return regexSamples(m.regex, 3);
  }
  return [present];
}

// The samples are a pure function of (pattern, n) — a fixed seed — and building `stringMatching` for a
// pattern costs milliseconds, while a property asks for the same rule's witnesses on every run.
const samplesByPattern = new Map<string, readonly string[]>();

/** Up to `n` distinct strings RE2 fully matches with `pattern` (empty when none can be found). */
export function regexSamples(pattern: string, n: number): string[] {
  const key = `${n}/${pattern}`;
  let samples = samplesByPattern.get(key);
  if (samples === undefined) {
    samples = sampleRegex(pattern, n);
    if (samplesByPattern.size >= 4096) samplesByPattern.clear(); // generated patterns: keep it bounded
    samplesByPattern.set(key, samples);
  }
  return [...samples];
}

function sampleRegex(pattern: string, n: number): string[] {
  let js: RegExp;
  try {
    js = new RegExp(`^(?:${pattern})$`);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const s of fc.sample(fc.stringMatching(js, { size: 'xsmall' }), { seed: SAMPLE_SEED, numRuns: 4 * n })) {
    if (!out.includes(s) && !/[\r\n\0]/.test(s) && re2FullMatch(pattern, s)) out.push(s);
    if (out.length >= n) break;
  }
  return out.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

/** Paths satisfying the match's `uri` (the prefix itself and one below it). */
function pathsFor(m: HTTPMatchRequest | undefined): string[] {
  const uri = m?.uri;
  if (uri === undefined) return ['/'];
  if (uri.exact !== undefined) return [uri.exact];
  if (uri.prefix !== undefined) return [uri.prefix, `${uri.prefix}${uri.prefix.endsWith('/') ? '' : '/'}x`];
  if (uri.regex !== undefined) return regexSamples(uri.regex, 3).filter((p) => p.startsWith('/'));
  return ['/'];
}

function queryFor(m: HTTPMatchRequest | undefined): string {
  const q = Object.entries(m?.queryParams ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  if (q.length === 0) return '';
  const parts: string[] = [];
  for (const [k, v] of q) {
    const value = valuesFor(v)[0];
    if (value === undefined) return '\0';
    parts.push(`${k}=${value}`);
  }
  return `?${parts.join('&')}`;
}

function headersFor(m: HTTPMatchRequest | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m?.headers ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (k.startsWith('@')) continue; // JWT claims: not modelled
    const value = valuesFor(v)[0];
    if (value === undefined) return undefined;
    out[k.toLowerCase()] = value;
  }
  const authority = m?.authority !== undefined ? valuesFor(m.authority)[0] : undefined;
  if (m?.authority !== undefined && authority === undefined) return undefined;
  if (authority !== undefined) out['host'] = authority;
  return out;
}

const isSidecarClient = (p: MeshProxy, model: MeshModel): boolean =>
  p.type === 'sidecar' &&
  p.kind === 'Pod' &&
  p.namespace !== (model.meshConfig as { rootNamespace?: string }).rootNamespace &&
  p.namespace !== 'istio-system';

/** Sidecar clients a mesh rule applies to: one per namespace and label set, in id order. */
export function sidecarClients(model: MeshModel, m: HTTPMatchRequest | undefined, limit = 4): MeshProxy[] {
  const seen = new Set<string>();
  const out: MeshProxy[] = [];
  // Pure clients (pods no Service selects, like sleep) first: they read best in a counterexample.
  const serves = (p: MeshProxy): boolean =>
    model.cluster.services.some(
      (s) =>
        s.namespace === p.namespace &&
        s.selector !== undefined &&
        Object.keys(s.selector).length > 0 &&
        labelsMatch(s.selector, p.labels),
    );
  const proxies = [...model.proxies].sort(
    (a, b) => Number(serves(a)) - Number(serves(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const p of proxies) {
    if (!isSidecarClient(p, model)) continue;
    if (m?.sourceLabels !== undefined && !labelsMatch(m.sourceLabels, p.labels)) continue;
    if (m?.sourceNamespace !== undefined && m.sourceNamespace !== '' && m.sourceNamespace !== p.namespace) continue;
    // One client per namespace: what a mesh rule does depends on the sender's namespace (visibility,
    // Sidecar resources) and labels only through sourceLabels, already filtered on.
    const key = p.namespace;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}

function fqdn(host: string, namespace: string, domain: string): string {
  if (host.includes('.') || host.includes('*') || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  return `${host}.${namespace}.svc.${domain}`;
}

function instantiate(host: string): string {
  if (host === '*') return 'example.com';
  return host.startsWith('*.') ? `a${host.slice(1)}` : host;
}

const hostCovers = (pattern: string, host: string): boolean =>
  pattern === '*' || pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

/** The senders, hosts and ports where `rule` can take effect. */
export function ruleContexts(model: MeshModel, rule: VirtualServiceRule): RuleContext[] {
  const spec = rule.object.spec as { hosts?: readonly string[]; gateways?: readonly string[] };
  const ns = rule.virtualService.namespace;
  const domain = model.cluster.domain;
  const m = rule.matchRequest;
  const gateways = m?.gateways !== undefined && m.gateways.length > 0 ? m.gateways : (spec.gateways ?? ['mesh']);
  const out: RuleContext[] = [];
  const hosts = (spec.hosts ?? []).map((h) => fqdn(h, ns, domain));
  for (const g of gateways) {
    if (g === 'mesh') {
      for (const client of sidecarClients(model, m)) {
        for (const h of hosts) {
          const services = model.registry.services.filter((s) => hostCovers(h, s.hostname));
          const targets =
            services.length > 0
              ? services.map((s) => ({ host: s.hostname, ports: s.ports.map((p) => p.port) }))
              : [{ host: instantiate(h), ports: [80] }];
          for (const t of targets.slice(0, 2)) {
            const ports = m?.port !== undefined ? t.ports.filter((p) => p === m.port) : t.ports;
            for (const port of ports.slice(0, 2))
              out.push({ sender: { from: `${client.name}.${client.namespace}` }, host: t.host, port });
          }
        }
      }
      continue;
    }
    const [gwNs, gwName] = g.includes('/') ? (g.split('/') as [string, string]) : [ns, g];
    const gw = model.istio.gateways.find(
      (x) => x.metadata.name === gwName && (x.metadata.namespace ?? 'default') === gwNs,
    );
    if (gw === undefined) continue;
    const gspec = gw.spec as {
      selector?: Record<string, string>;
      servers?: readonly { port?: { number?: number }; hosts?: readonly string[] }[];
    };
    const pods = model.proxies
      .filter((p) => p.type === 'router' && labelsMatch(gspec.selector ?? {}, p.labels))
      .slice(0, 1);
    for (const pod of pods) {
      for (const server of gspec.servers ?? []) {
        const port = server.port?.number;
        if (port === undefined || (m?.port !== undefined && m.port !== port)) continue;
        for (const vsHost of spec.hosts ?? []) {
          const serverHosts = (server.hosts ?? []).map((h) => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h));
          const concrete = instantiate(
            vsHost.includes('*') ? (serverHosts.find((h) => !h.includes('*')) ?? vsHost) : vsHost,
          );
          if (!serverHosts.some((h) => hostCovers(h, concrete))) continue;
          out.push({ sender: { gateway: `${pod.name}.${pod.namespace}` }, host: concrete, port });
        }
      }
    }
  }
  return out;
}

/** The requests written for `rule` (possibly none, when its conditions cannot be met). */
export function witnesses(model: MeshModel, rule: VirtualServiceRule): RouteCall[] {
  const m = rule.matchRequest;
  const headers = headersFor(m);
  const query = queryFor(m);
  if (headers === undefined || query.includes('\0')) return [];
  const method = m?.method !== undefined ? valuesFor(m.method, 'GET')[0] : 'GET';
  if (method === undefined) return [];
  const out: RouteCall[] = [];
  for (const ctx of ruleContexts(model, rule)) {
    for (const path of pathsFor(m)) {
      const url = `http://${ctx.host}${ctx.port === 80 ? '' : `:${ctx.port}`}${path}${query}`;
      out.push({ ...ctx.sender, url, method, headers: { ...headers } });
    }
  }
  return out;
}
