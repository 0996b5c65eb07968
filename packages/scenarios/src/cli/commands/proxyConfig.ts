/**
 * `meshsim proxy-config listener|route|cluster|endpoint|all POD[.NS] -f PATH...`: the Envoy configuration
 * istiod would push to a pod's sidecar or gateway, shown as `istioctl proxy-config` shows a live proxy's —
 * the same table columns, filters and row order (istio/istio@1.29.3 `istioctl/pkg/proxyconfig`,
 * `istioctl/pkg/writer/envoy`) — or as JSON in Envoy's admin shapes (`-o json`: the resources, or for `all`
 * the `/config_dump` document). Exit 0 on success, 2 for usage or input errors.
 */
import {
  buildProxyConfig,
  clusterStatuses,
  clusterSummary,
  configDump,
  ConfigError,
  edsSummary,
  endpointSummary,
  findProxy,
  envoyAdminView,
  listenerMatchesFilter,
  listenerSummary,
  loadMeshModel,
  routeSummary,
  clusterMatchesFilter,
  sortByClusterName,
  sortRouteConfigs,
  stripMeshsimMetadata,
  type EnvoyProxyConfig as ProxyConfig,
} from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import type { CommandContext, CommandModule } from '../command.js';
import { readManifestInputs } from '../../load/manifestFiles.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface CommonOptions {
  filename: string[];
  namespace?: string;
  output: 'table' | 'json';
  provenance?: boolean;
}

type Kind = 'listener' | 'route' | 'cluster' | 'endpoint' | 'all';

const SUMMARIES: Readonly<Record<Kind, string>> = {
  listener: "a proxy's listeners (ADDRESSES PORT MATCH DESTINATION)",
  route: "a proxy's route configurations (NAME VHOST NAME DOMAINS MATCH VIRTUAL SERVICE)",
  cluster: "a proxy's clusters (SERVICE FQDN PORT SUBSET DIRECTION TYPE DESTINATION RULE)",
  endpoint: "a proxy's endpoints (ENDPOINT STATUS OUTLIER CHECK CLUSTER)",
  all: 'clusters, listeners, routes and endpoints of a proxy',
};

const EXAMPLES: Readonly<Record<Kind, string>> = {
  listener: `
Examples:
  # The sidecar walkthrough: the client's listeners (virtualOutbound 15001, virtualInbound 15006, 0.0.0.0_80…)
  meshsim proxy-config listener toolbox.sidecar -f packages/sim-core/testdata/seeds/sidecar

  # Only the inbound capture listener of the server, as JSON
  meshsim proxy-config listener nginx-deployment.sidecar -f seeds/sidecar --port 15006 -o json

  # The ingress gateway's listeners (Service port 80 → listener 0.0.0.0_8080)
  meshsim proxy-config listener istio-ingressgateway.istio-system -f seeds/simple-ingress`,
  route: `
Examples:
  # The route configuration "80" of the client: one virtual host per service on port 80
  meshsim proxy-config route toolbox.sidecar -f packages/sim-core/testdata/seeds/sidecar --name 80

  # The canary routes, as Envoy JSON
  meshsim proxy-config route toolbox.canary -f seeds/canary --name 80 -o json`,
  cluster: `
Examples:
  # Every cluster the client knows (one per service port, plus subsets)
  meshsim proxy-config cluster toolbox.sidecar -f packages/sim-core/testdata/seeds/sidecar

  # The canary subsets, with the DestinationRule that made them
  meshsim proxy-config cluster toolbox.canary -f seeds/canary --fqdn canary.canary.svc.cluster.local

  # Inbound clusters only
  meshsim proxy-config cluster nginx-deployment.sidecar -f seeds/sidecar --direction inbound`,
  endpoint: `
Examples:
  # The endpoints behind the nginx service, as the client's Envoy holds them
  meshsim proxy-config endpoint toolbox.sidecar -f packages/sim-core/testdata/seeds/sidecar \\
    --cluster "outbound|80||nginx.sidecar.svc.cluster.local"

  # As Envoy's /clusters JSON
  meshsim proxy-config endpoint toolbox.canary -f seeds/canary --port 80 -o json`,
  all: `
Examples:
  # Everything, as tables (NAME column prefixed cluster/, listener/, route/, endpoint/)
  meshsim proxy-config all toolbox.sidecar -f packages/sim-core/testdata/seeds/sidecar

  # The whole config_dump, and with meshsim's provenance (which manifest made each object)
  meshsim proxy-config all toolbox.canary -f seeds/canary -o json --provenance`,
};

const FOOTER = `
POD[.NS]: a pod name or a unique prefix (e.g. the Deployment's name), optionally with its namespace
(default: -n, else "default"); a VM is <name>.<namespace>. Sizes of the whole configuration (listeners,
routes, clusters, endpoints) are printed to stderr with --size.
Exit codes: 0 success, 2 usage or input errors.`;

async function loadConfig(ref: string, o: CommonOptions, ctx: CommandContext): Promise<ProxyConfig> {
  if (o.filename.length === 0)
    throw new ConfigError('proxy-config needs the manifests: -f PATH (repeatable)', { field: '-f' });
  const model = loadMeshModel(await readManifestInputs(o.filename, ctx.io));
  const ns = o.namespace ?? 'default';
  const proxy = findProxy(model, ref, ns);
  if (proxy === undefined) {
    const known = model.proxies.map((p) => p.id).join(', ');
    throw new ConfigError(
      `no proxy for ${JSON.stringify(ref)}: no pod or VM with an istio-proxy container matches (proxies: ${known === '' ? 'none' : known})`,
      {},
    );
  }
  return buildProxyConfig(model, proxy);
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 4)}\n`;

function intOpt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    throw new ConfigError(`invalid ${name} ${JSON.stringify(v)}: expected a port number`, { field: name });
  return Number(v);
}

interface FilterOptions extends CommonOptions {
  port?: string;
  address?: string;
  type?: string;
  name?: string;
  fqdn?: string;
  subset?: string;
  direction?: string;
  cluster?: string;
  status?: string;
  size?: boolean;
}

function render(kind: Kind, cfg: ProxyConfig, o: FilterOptions): string {
  const clean = <T>(x: T): T => (o.provenance === true ? x : stripMeshsimMetadata(x));
  const port = intOpt(o.port, '--port');
  const lf = {
    ...(o.address !== undefined ? { address: o.address } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(o.type !== undefined ? { type: o.type } : {}),
  };
  const cf = {
    ...(o.fqdn !== undefined ? { fqdn: o.fqdn } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(o.subset !== undefined ? { subset: o.subset } : {}),
    ...(o.direction !== undefined ? { direction: o.direction } : {}),
  };
  const ef = {
    ...(o.address !== undefined ? { address: o.address } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
  // What Envoy's admin interface reports: istiod's resources, then the bootstrap's static ones.
  const v = envoyAdminView(cfg);
  if (o.output === 'json') {
    switch (kind) {
      case 'listener':
        return json(clean(v.listeners.filter((l) => listenerMatchesFilter(l, lf))));
      case 'route':
        return json(clean(sortRouteConfigs(v.routes).filter((r) => o.name === undefined || r.name === o.name)));
      case 'cluster':
        return json(
          clean(sortByClusterName(v.clusters, (c) => c.name).filter((c) => clusterMatchesFilter(c.name, cf))),
        );
      case 'endpoint':
        return json(
          clusterStatuses(v.hosts, {
            filter: ef,
            staticClusters: new Set(v.staticClusters.map((c) => c.name)),
          }),
        );
      case 'all':
        return json(configDump(cfg, { provenance: o.provenance === true }));
    }
  }
  switch (kind) {
    case 'listener':
      return listenerSummary(v.listeners, lf);
    case 'route':
      return routeSummary(v.routes, o.name);
    case 'cluster':
      return clusterSummary(v.clusters, cf);
    case 'endpoint':
      return endpointSummary(v.hosts, ef);
    case 'all':
      // istioctl's PrintFullSummary order; its bootstrap and secret sections have no meshsim counterpart.
      return [
        clusterSummary(v.clusters, cf, true),
        listenerSummary(v.listeners, lf, true),
        routeSummary(v.routes, o.name, true),
        edsSummary(v.endpoints, ef),
      ].join('\n');
  }
}

function register(parent: Command, kind: Kind, ctx: CommandContext): Command {
  const cmd = parent
    .command(`${kind} <pod>`)
    .aliases(kind === 'all' ? ['a'] : [`${kind}s`])
    .summary(SUMMARIES[kind])
    .description(`Print ${SUMMARIES[kind]}, as istiod 1.29 would configure it and istioctl would show it.`)
    .option('-f, --filename <path>', 'manifest file or folder (repeatable; "-" for stdin)', collect, [])
    .option('-n, --namespace <ns>', 'namespace of the pod when POD has none')
    .addOption(new Option('-o, --output <format>', 'table, or Envoy JSON').choices(['table', 'json']).default('table'))
    .option(
      '--provenance',
      "keep meshsim's provenance (filterMetadata.meshsim: the manifest behind each object) in JSON",
    )
    .option('--size', 'also print the size of the whole configuration to stderr');
  if (kind === 'listener' || kind === 'all') {
    cmd
      .option('--address <ip>', 'filter listeners by address')
      .option('--type <type>', 'filter listeners by type (HTTP, TCP, HTTP+TCP)');
  }
  if (kind === 'route' || kind === 'all') cmd.option('--name <name>', 'filter route configurations by name');
  if (kind === 'cluster' || kind === 'all') {
    cmd
      .option('--fqdn <host>', 'filter clusters by a substring of the service FQDN')
      .option('--subset <name>', 'filter clusters by a substring of the subset')
      .option('--direction <dir>', 'filter clusters by direction (inbound, outbound)');
  }
  if (kind === 'endpoint' || kind === 'all') {
    cmd
      .option('--cluster <name>', 'filter endpoints by cluster name')
      .option('--status <status>', 'filter endpoints by status (healthy, unhealthy…)');
    if (kind === 'endpoint') cmd.option('--address <ip>', 'filter endpoints by address');
  }
  cmd.option('--port <port>', 'filter by port (listeners, clusters, endpoints)');
  cmd.addHelpText('after', `${EXAMPLES[kind]}\n${FOOTER}`);
  cmd.action(async (pod: string, o: FilterOptions) => {
    const cfg = await loadConfig(pod, o, ctx);
    ctx.io.out(render(kind, cfg, o));
    if (o.size === true) {
      const s = cfg.size;
      ctx.io.err(
        `config size of ${cfg.node.name}: ${s.listeners} listeners (${s.filterChains} filter chains), ${s.routeConfigurations} route configurations (${s.virtualHosts} virtual hosts, ${s.routes} routes), ${s.clusters} clusters, ${s.endpoints} endpoints, ${s.bytes} bytes of JSON\n`,
      );
    }
  });
  return cmd;
}

export const proxyConfigCommand: CommandModule = {
  name: 'proxy-config',
  register(program: Command, ctx: CommandContext): void {
    const cmd = program
      .command('proxy-config')
      .alias('pc')
      .summary('show the Envoy configuration istiod would push to a proxy')
      .description(
        "The listeners, routes, clusters and endpoints istiod 1.29 builds for a pod's sidecar or a gateway, computed from the manifests and printed as istioctl proxy-config prints a live proxy's.",
      );
    for (const kind of ['listener', 'route', 'cluster', 'endpoint', 'all'] as const) {
      register(cmd, kind, ctx)
        .exitOverride()
        .configureOutput({ writeOut: (t) => ctx.io.out(t), writeErr: (t) => ctx.io.err(t) });
    }
  },
};
