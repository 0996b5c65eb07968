/**
 * The text form of an explanation (`meshsim route -o text`): one numbered line per step, the reasons
 * indented under it, `←` lines naming the manifest field (file:line) that decided the step, the outcome,
 * and — when a fault or an unusable weighted cluster makes it uncertain — each possible outcome with its
 * share.
 */
import type { RouteExplanation, SourceRef } from './explanation.js';

const LABELS: Record<string, string> = {
  call: 'call',
  dns: 'DNS',
  capture: 'iptables',
  listener: 'listener',
  listener_filters: 'inspect',
  filter_chain: 'chain',
  transport: 'TLS',
  network_filter: 'filter',
  route_config: 'routes',
  virtual_host: 'vhost',
  route: 'route',
  cluster: 'cluster',
  endpoints: 'endpoints',
  outcome: 'result',
};

/** `Kind ns/name field (file:line)`. */
export function formatSourceRef(ref: SourceRef): string {
  const what = [ref.kind, ref.object, ref.field].filter((x) => x !== undefined && x !== '').join(' ');
  const where = ref.line > 0 ? `${ref.file}:${ref.line}` : ref.file;
  return `${what}${what === '' ? '' : ' '}(${where})`;
}

/** Renders an explanation as indented text, ending with a newline. */
export function formatRouteExplanation(e: RouteExplanation): string {
  const lines: string[] = [];
  const c = e.call;
  const what =
    c.protocol === 'tcp'
      ? `TCP ${c.destinationAddress}:${c.destinationPort}`
      : `${c.method ?? 'GET'} ${c.tls === 'tls' ? 'https' : 'http'}://${c.authority ?? c.destinationAddress}${c.path ?? '/'}`;
  const via = c.mode === 'outbound' ? 'sidecar of' : c.mode === 'gateway' ? 'gateway' : 'inbound to';
  const over = c.tls === 'mtls' ? ' over Istio mutual TLS' : c.tls === 'tls' ? ' over TLS' : '';
  lines.push(`${what}${over} — ${via} ${c.proxy}`);
  const shown = e.steps.filter((s) => s.step !== 'outcome' && s.step !== 'call');
  const width = String(shown.length).length;
  shown.forEach((s, i) => {
    const label = (LABELS[s.step] ?? s.step).padEnd(9);
    lines.push(`${String(i + 1).padStart(width)}. ${label} ${s.summary}`);
    const pad = ' '.repeat(width + 2 + 10);
    for (const d of s.details ?? []) lines.push(`${pad}${d}`);
    for (const r of s.decidedBy ?? []) lines.push(`${pad}← ${formatSourceRef(r)}`);
  });
  lines.push(`=> ${e.outcome.text}${e.error !== undefined ? `  [${e.error}]` : ''}`);
  // Every possible outcome, unless they only differ in which weighted cluster forwards (the cluster step says).
  const outcomes = e.outcomes ?? [];
  if (outcomes.some((o) => o.outcome.action !== e.outcome.action || o.outcome.responseFlags !== undefined)) {
    const share = (p: number): string => `${Number((p * 100).toFixed(4))}%`;
    const width = Math.max(...outcomes.map((o) => share(o.probability).length));
    for (const o of outcomes) lines.push(`   ${share(o.probability).padStart(width)}  ${o.outcome.text}`);
  }
  return `${lines.join('\n')}\n`;
}
