/**
 * `meshsim route`: where would this request go, and why. Loads the manifests, builds the mesh as istiod
 * sees it, builds the handling proxy's Envoy configuration and walks the request through it — listener,
 * filter chain, route configuration, virtual host, route, cluster(s), endpoints — naming the manifest field
 * (file:line) behind each step. Exit 0 when the request reaches a cluster or gets a configured local reply
 * (redirect, direct response), 1 when it does not get through (no listener, no route, 404 NR, TLS errors…),
 * 2 for usage or input errors.
 */
import { formatRouteExplanation, loadMeshModel, route, ConfigError, type RouteCall } from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';
import { readManifestInputs } from '../../load/manifestFiles.js';

interface RouteOptions {
  filename: string[];
  from?: string;
  gateway?: string;
  to?: string;
  inbound?: boolean;
  url?: string;
  address?: string;
  port?: string;
  path?: string;
  request?: string;
  header: string[];
  protocol?: 'http' | 'http2' | 'tcp';
  tls?: 'plaintext' | 'tls' | 'mtls';
  sni?: string;
  alpn?: string;
  output: 'text' | 'json';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const EXAMPLES = `
Examples:
  # The canary walkthrough: where does the toolbox's request to http://canary/ go?
  meshsim route -f packages/sim-core/testdata/seeds/canary --from toolbox.canary --url http://canary/

  # The tester's request, as JSON
  meshsim route -f packages/sim-core/testdata/seeds/canary --from toolbox.canary --url http://canary/ -H 'user: jesse' -o json

  # Through the ingress gateway (the client reaches it via its Service: port 80 → 8080)
  meshsim route -f packages/sim-core/testdata/seeds/simple-ingress --gateway istio-ingressgateway.istio-system \\
    --url http://simple.zhongmingmao.io/simple/hello

  # HTTPS through the gateway: SNI picks the filter chain
  meshsim route -f packages/sim-core/testdata/seeds/https-ingress --gateway istio-ingressgateway.istio-system \\
    --url https://api.zhongmingmao.io/

  # A connection to an address and port, as the sidecar of the receiving pod sees it (mutual TLS)
  meshsim route -f manifests/ --to reviews-v1.default --inbound --port 9080 --tls mtls

POD[.NS]: a pod name, or a unique prefix such as the workload name (toolbox.canary).
Exit codes: 0 the request reaches a cluster or gets a configured reply, 1 it does not get through
(the JSON "error" says why: no_listener, no_filter_chain, no_route, …), 2 usage or input errors.`;

function buildCall(o: RouteOptions): RouteCall {
  if (o.url === undefined && o.port === undefined) {
    throw new ConfigError('give --url URL, or --address IP and --port N (--port alone for --to POD --inbound)', {
      field: '--url',
    });
  }
  if (o.url === undefined && o.address === undefined && o.to === undefined) {
    throw new ConfigError('--port needs --address IP (or --url URL)', { field: '--address' });
  }
  if (o.url !== undefined && (o.address !== undefined || o.path !== undefined)) {
    throw new ConfigError('--url cannot be combined with --address or --path', { field: '--url' });
  }
  let port: number | undefined;
  if (o.port !== undefined) {
    if (!/^\d+$/.test(o.port))
      throw new ConfigError(`invalid --port ${JSON.stringify(o.port)}: expected a number 1-65535`, { field: '--port' });
    port = Number(o.port);
  }
  return {
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(o.gateway !== undefined ? { gateway: o.gateway } : {}),
    ...(o.to !== undefined ? { to: o.to } : {}),
    ...(o.inbound === true ? { inbound: true } : {}),
    ...(o.url !== undefined ? { url: o.url } : {}),
    ...(o.address !== undefined ? { address: o.address } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(o.path !== undefined ? { path: o.path } : {}),
    ...(o.request !== undefined ? { method: o.request } : {}),
    headers: o.header,
    ...(o.protocol !== undefined ? { protocol: o.protocol } : {}),
    ...(o.tls !== undefined ? { tls: o.tls } : {}),
    ...(o.sni !== undefined ? { sni: o.sni } : {}),
    ...(o.alpn !== undefined
      ? {
          alpn: o.alpn
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        }
      : {}),
  };
}

export const routeCommand: CommandModule = {
  name: 'route',
  register(program: Command, ctx): void {
    program
      .command('route')
      .summary('explain where a request goes and why (listener → chain → route → cluster)')
      .description(
        'Walk one request through the Envoy configuration istiod would push to the proxy that handles it ' +
          '(a sidecar sending it, a gateway receiving it, or the sidecar of the pod it reaches), the way ' +
          'Envoy matches it: listener, filter chain, route configuration, virtual host, first matching route, ' +
          'cluster (every weighted candidate with its probability) and endpoints. Each step names the ' +
          'manifest field that decided it. Deterministic: nothing is sampled.',
      )
      .requiredOption('-f, --filename <path>', 'manifest file or folder (repeatable; "-" for stdin)', collect, [])
      .option('--from <pod>', 'the client pod whose sidecar sends the request (POD[.NS])')
      .option('--gateway <pod>', 'the gateway pod that receives the request (POD[.NS])')
      .option('--to <pod>', 'the pod whose sidecar receives the request (with --inbound)')
      .option('--inbound', "explain the request as the --to pod's sidecar receives it")
      .option('--url <url>', 'http://host[:port]/path?query, https://… or tcp://host:port')
      .option('--address <ip>', 'destination IP (instead of --url)')
      .option('--port <n>', 'destination port (with --address, or the pod port with --to)')
      .option('--path <path>', 'request path with query (with --address)')
      .option('-X, --request <method>', 'HTTP method', undefined)
      .option('-H, --header <header>', "request header 'Name: value' (repeatable; Host sets :authority)", collect, [])
      .addOption(new Option('--protocol <protocol>', 'what the client speaks').choices(['http', 'http2', 'tcp']))
      .addOption(new Option('--tls <mode>', 'what the client puts on the wire').choices(['plaintext', 'tls', 'mtls']))
      .option('--sni <name>', 'TLS server name (default: the URL host for TLS)')
      .option('--alpn <list>', 'comma-separated ALPN protocols offered in the ClientHello')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText('after', EXAMPLES)
      .action(async (o: RouteOptions) => {
        const call = buildCall(o);
        const model = loadMeshModel(await readManifestInputs(o.filename, ctx.io));
        const explanation = route(model, call);
        ctx.io.out(
          o.output === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : formatRouteExplanation(explanation),
        );
        ctx.setExit(explanation.error === undefined ? ExitCode.OK : ExitCode.FINDINGS);
      });
  },
};
