/**
 * `istioctl proxy-config cluster` and `endpoint` (istio/istio@1.29.3
 * `istioctl/pkg/writer/envoy/configdump/cluster.go` `PrintClusterSummary`, `ClusterFilter.Verify`;
 * `istioctl/pkg/writer/envoy/clusters/clusters.go` `PrintEndpointsSummary`; `configdump/endpoint.go` for
 * `proxy-config all`). Clusters: `SERVICE FQDN PORT SUBSET DIRECTION TYPE DESTINATION RULE`, sorted by
 * host, subset, port, direction. Endpoints: Envoy's view of each cluster's hosts, `ENDPOINT STATUS OUTLIER
 * CHECK CLUSTER`, sorted by address, port, cluster — before any traffic, so no host has failed an outlier
 * check.
 */
import type { Cluster } from '../../../envoy/config/cluster.js';
import type { ClusterLoadAssignment, LbEndpoint, LocalityLbEndpoints } from '../../../envoy/config/endpoint.js';
import { parseSubsetKey } from '../names.js';
import { describeManagement } from './routeSummary.js';
import { tabwrite } from './tabwriter.js';

/** `ClusterFilter`: `--fqdn`, `--port`, `--subset`, `--direction` (substring matches, as istioctl). */
export interface ClusterFilterOptions {
  readonly fqdn?: string;
  readonly port?: number;
  readonly subset?: string;
  readonly direction?: string;
}

/** `ClusterFilter.Verify`. */
export function clusterMatchesFilter(name: string, f: ClusterFilterOptions): boolean {
  if ((f.fqdn ?? '') !== '' && !name.includes(f.fqdn as string)) return false;
  if ((f.direction ?? '') !== '' && !name.includes(f.direction as string)) return false;
  if ((f.subset ?? '') !== '' && !name.includes(f.subset as string)) return false;
  if ((f.port ?? 0) !== 0 && !name.includes(`|${f.port as number}|`)) return false;
  return true;
}

function key(name: string): { direction: string; subset: string; host: string; port: number } {
  const k = name.split('|').length > 3 ? parseSubsetKey(name) : undefined;
  return k === undefined
    ? { direction: '', subset: '', host: name, port: 0 }
    : { direction: k.direction, subset: k.subset, host: k.hostname, port: k.port };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** istioctl's cluster order: host, subset, port, direction. */
export function sortByClusterName<T>(items: readonly T[], nameOf: (t: T) => string): T[] {
  return [...items].sort((x, y) => {
    const a = key(nameOf(x));
    const b = key(nameOf(y));
    return cmp(a.host, b.host) || cmp(a.subset, b.subset) || a.port - b.port || cmp(a.direction, b.direction);
  });
}

/** `PrintClusterSummary`. `withType` adds the `NAME` column of `proxy-config all`. */
export function clusterSummary(
  clusters: readonly Cluster[],
  filter: ClusterFilterOptions = {},
  withType = false,
): string {
  let text = `${withType ? 'NAME\t' : ''}SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE\n`;
  for (const c of sortByClusterName(clusters, (x) => x.name)) {
    if (!clusterMatchesFilter(c.name, filter)) continue;
    const type = c.type ?? 'STATIC';
    const dr = describeManagement(c.metadata);
    const prefix = withType ? `cluster/${c.name}\t` : '';
    const k = c.name.split('|').length > 3 ? parseSubsetKey(c.name) : undefined;
    if (k !== undefined)
      text += `${prefix}${k.hostname}\t${k.port}\t${k.subset === '' ? '-' : k.subset}\t${k.direction}\t${type}\t${dr}\n`;
    // istioctl renames the cluster before printing it, so `all` shows `cluster/<name>` in both columns.
    else text += `${prefix}${withType ? `cluster/${c.name}` : c.name}\t-\t-\t-\t${type}\t${dr}\n`;
  }
  return tabwrite(text, 5);
}

/** One host as Envoy's `/clusters` reports it. */
export interface HostStatus {
  readonly cluster: string;
  readonly address: string;
  readonly port: number;
  readonly healthStatus: string;
  readonly weight: number;
  readonly locality?: LocalityLbEndpoints['locality'];
}

/**
 * The `edsHealthStatus` Envoy's `/clusters` reports for an endpoint's EDS health status: UNHEALTHY, DRAINING
 * and TIMEOUT set the host's FAILED_EDS_HEALTH flag and read back as UNHEALTHY, DEGRADED as DEGRADED, and
 * everything else — including UNKNOWN, the default — as HEALTHY (envoy `source/server/admin/clusters_handler.cc`
 * `setHealthFlag`).
 */
export function adminHealthStatus(status: LbEndpoint['healthStatus']): 'HEALTHY' | 'UNHEALTHY' | 'DEGRADED' {
  if (status === 'UNHEALTHY' || status === 'DRAINING' || status === 'TIMEOUT') return 'UNHEALTHY';
  return status === 'DEGRADED' ? 'DEGRADED' : 'HEALTHY';
}

/**
 * The hosts Envoy holds: EDS load assignments and inline ones (STATIC / DNS clusters). A Unix-socket host's
 * address reads `unix://<path>` with port 0 (istioctl `retrieveEndpointAddress`).
 */
export function hostStatuses(clusters: readonly Cluster[], endpoints: readonly ClusterLoadAssignment[]): HostStatus[] {
  const out: HostStatus[] = [];
  const add = (cla: ClusterLoadAssignment): void => {
    for (const l of cla.endpoints) {
      for (const e of l.lbEndpoints) {
        const sa = e.endpoint.address.socketAddress;
        const pipe = e.endpoint.address.pipe;
        out.push({
          cluster: cla.clusterName,
          address: sa?.address ?? (pipe !== undefined ? `unix://${pipe.path}` : 'unknown'),
          port: sa?.portValue ?? 0,
          healthStatus: adminHealthStatus(e.healthStatus),
          weight: e.loadBalancingWeight ?? 1,
          ...(l.locality !== undefined ? { locality: l.locality } : {}),
        });
      }
    }
  };
  for (const c of clusters) if (c.loadAssignment !== undefined) add(c.loadAssignment);
  for (const cla of endpoints) add(cla);
  return out;
}

/** `EndpointFilter`: `--address`, `--port`, `--cluster`, `--status`. */
export interface EndpointFilterOptions {
  readonly address?: string;
  readonly port?: number;
  readonly cluster?: string;
  readonly status?: string;
}

/** `EndpointFilter.Verify`. */
export function hostMatchesFilter(h: HostStatus, f: EndpointFilterOptions): boolean {
  if ((f.address ?? '') !== '' && h.address.toLowerCase() !== (f.address as string).toLowerCase()) return false;
  if ((f.port ?? 0) !== 0 && h.port !== f.port) return false;
  if ((f.cluster ?? '') !== '' && h.cluster.toLowerCase() !== (f.cluster as string).toLowerCase()) return false;
  if ((f.status ?? '') !== '' && h.healthStatus.toLowerCase() !== (f.status as string).toLowerCase()) return false;
  return true;
}

/** `PrintEndpointsSummary` of `istioctl proxy-config endpoint`. */
export function endpointSummary(hosts: readonly HostStatus[], filter: EndpointFilterOptions = {}): string {
  const rows = hosts
    .filter((h) => hostMatchesFilter(h, filter))
    .sort((a, b) => cmp(a.address, b.address) || a.port - b.port || cmp(a.cluster, b.cluster));
  let text = 'ENDPOINT\tSTATUS\tOUTLIER CHECK\tCLUSTER\n';
  for (const h of rows)
    text += `${h.port !== 0 ? `${h.address}:${h.port}` : h.address}\t${h.healthStatus}\tOK\t${h.cluster}\n`;
  return tabwrite(text, 5);
}

/**
 * configdump/endpoint.go `EndpointFilter.Verify`: like {@link hostMatchesFilter}, but `--address` is compared
 * with the endpoint's `ip:port` (or pipe path) and `--status` with its EDS health status as sent.
 */
function edsMatchesFilter(h: HostStatus, f: EndpointFilterOptions): boolean {
  return hostMatchesFilter(h, f);
}

/** `util.LocalityToString`: `region[/zone[/subZone]]`, stopping at the first empty zone or sub-zone. */
function localityToString(l: LocalityLbEndpoints['locality']): string {
  if (l === undefined) return '';
  let out = l.region ?? '';
  if ((l.zone ?? '') === '') return out;
  out += `/${l.zone as string}`;
  if ((l.subZone ?? '') === '') return out;
  return `${out}/${l.subZone as string}`;
}

/** The EDS table of `istioctl proxy-config all` (`configdump/endpoint.go`): `NAME STATUS LOCALITY CLUSTER` (`endpoint/` prefix with `withType`). */
export function edsSummary(
  endpoints: readonly ClusterLoadAssignment[],
  filter: EndpointFilterOptions = {},
  withType = true,
): string {
  let text = 'NAME\tSTATUS\tLOCALITY\tCLUSTER\n';
  for (const cla of sortByClusterName(endpoints, (e) => e.clusterName)) {
    for (const l of cla.endpoints) {
      const locality = localityToString(l.locality);
      for (const e of l.lbEndpoints) {
        const sa = e.endpoint.address.socketAddress;
        // configdump/endpoint.go `retrieveEndpointAddresses`: `ip:port`, or a pipe's path.
        const addr =
          sa !== undefined ? `${sa.address}:${sa.portValue ?? 0}` : (e.endpoint.address.pipe?.path ?? 'unknown');
        const h: HostStatus = {
          cluster: cla.clusterName,
          address: addr,
          port: sa?.portValue ?? 0,
          healthStatus: e.healthStatus ?? 'UNKNOWN',
          weight: 1,
        };
        if (!edsMatchesFilter(h, filter)) continue;
        text += `${withType ? 'endpoint/' : ''}${addr}\t${h.healthStatus}\t${locality}\t${cla.clusterName}\n`;
      }
    }
  }
  return tabwrite(text, 5);
}
