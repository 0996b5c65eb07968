/**
 * `istioctl proxy-config route` (istio/istio@1.29.3 `istioctl/pkg/writer/envoy/configdump/route.go`
 * `PrintRouteSummary` with `--verbose`): `NAME VHOST NAME DOMAINS MATCH VIRTUAL SERVICE`, one row per route
 * (routes to PassthroughCluster hidden; a virtual host without routes shows `/*` and `404`). DOMAINS shows
 * the shortest forms: names without a port, those whose `.svc.cluster.local` / `.svc` expansion is also
 * listed dropped, two of them and `+ N more...`. VIRTUAL SERVICE is `<name>.<namespace>` from the route's
 * `istio.config` metadata. Route configurations with numeric names are ordered numerically.
 */
import type { Metadata } from '../../../envoy/config/core.js';
import type { RouteConfiguration, RouteMatch } from '../../../envoy/config/route.js';
import { PASSTHROUGH_CLUSTER } from '../names.js';
import { tabwrite } from './tabwriter.js';

/** `unexpandDomains`. */
function unexpandDomains(domains: readonly string[]): string[] {
  const unique = new Set(domains);
  const drop = new Set<string>();
  for (const h of domains) {
    const full = h.endsWith('.svc.cluster.local') ? h.slice(0, -'.svc.cluster.local'.length) : h;
    if (full !== h && unique.has(full)) drop.add(h);
    const partial = h.endsWith('.svc') ? h.slice(0, -'.svc'.length) : h;
    if (partial !== h && unique.has(partial)) drop.add(h);
  }
  return domains.filter((d) => !drop.has(d));
}

/** `describeRouteDomains`. */
export function describeRouteDomains(domains: readonly string[]): string {
  if (domains.length === 0) return '';
  if (domains.length === 1) return domains[0] as string;
  const withoutPort = unexpandDomains(
    domains.filter((d) => {
      const colons = (d.match(/:/g) ?? []).length;
      if (colons === 0) return true;
      return colons > 2 && d.endsWith(']');
    }),
  );
  if (withoutPort.length > 2) return `${withoutPort.slice(0, 2).join(', ')} + ${withoutPort.length - 2} more...`;
  return withoutPort.join(', ');
}

/** `describeMatch` (headers are not shown). */
export function describeRouteMatch(m: RouteMatch): string {
  const c: string[] = [];
  if ((m.prefix ?? '') !== '') c.push(`${m.prefix as string}*`);
  if ((m.pathSeparatedPrefix ?? '') !== '') c.push(`PathPrefix:${m.pathSeparatedPrefix as string}`);
  if ((m.path ?? '') !== '') c.push(m.path as string);
  if (m.safeRegex !== undefined) c.push(`regex ${m.safeRegex.regex}`);
  return c.join(' ');
}

/** `describeManagement` / `renderConfig`: `<name>.<namespace>` of an `istio.config` path. */
export function describeManagement(metadata: Metadata | undefined): string {
  const path = metadata?.filterMetadata?.istio?.['config'];
  if (typeof path !== 'string') return '';
  if (!path.startsWith('/apis/networking.istio.io/')) return '<unknown>';
  const pieces = path.split('/');
  return pieces.length === 8 ? `${pieces[7] as string}.${pieces[5] as string}` : '';
}

/** The numeric-name ordering istioctl's `sort.Slice` gives (insertion sort; non-numeric names never move). */
export function sortRouteConfigs(routes: readonly RouteConfiguration[]): RouteConfiguration[] {
  const out = [...routes];
  const less = (a: RouteConfiguration, b: RouteConfiguration): boolean =>
    /^[+-]?\d+$/.test(a.name) && /^[+-]?\d+$/.test(b.name) && Number(a.name) < Number(b.name);
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j] as RouteConfiguration, out[j - 1] as RouteConfiguration); j--) {
      const t = out[j] as RouteConfiguration;
      out[j] = out[j - 1] as RouteConfiguration;
      out[j - 1] = t;
    }
  }
  return out;
}

/** `PrintRouteSummary` (verbose), filtered by `--name`. `withType` prefixes names with `route/`. */
export function routeSummary(routes: readonly RouteConfiguration[], name?: string, withType = false): string {
  let text = 'NAME\tVHOST NAME\tDOMAINS\tMATCH\tVIRTUAL SERVICE\n';
  for (const rc of sortRouteConfigs(routes)) {
    if (name !== undefined && name !== '' && rc.name !== name) continue;
    const rname = withType ? `route/${rc.name}` : rc.name;
    for (const vh of rc.virtualHosts ?? []) {
      for (const r of vh.routes ?? []) {
        if (r.route?.cluster === PASSTHROUGH_CLUSTER) continue;
        text += `${rname}\t${vh.name}\t${describeRouteDomains(vh.domains)}\t${describeRouteMatch(r.match)}\t${describeManagement(r.metadata)}\n`;
      }
      if ((vh.routes ?? []).length === 0)
        text += `${rname}\t${vh.name}\t${describeRouteDomains(vh.domains)}\t/*\t404\n`;
    }
  }
  return tabwrite(text, 5);
}
