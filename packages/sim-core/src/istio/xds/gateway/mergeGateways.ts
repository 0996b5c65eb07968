/**
 * Which Gateway servers a gateway proxy serves, merged by port (istio/istio@1.29.3
 * `pilot/pkg/model/push_context.go` `mergeGateways`, `pilot/pkg/model/gateway.go` `mergeGateways`,
 * `resolvePorts`, `gatewayRDSRouteName`, `GetSNIHostsForServer`, `CheckDuplicates`,
 * `sanitizeServerHostNamespace`). A Gateway applies when its `selector` matches the proxy's labels (any
 * namespace). A server's port number is translated to the target port of the gateway Service port with
 * that number (80 → 8080 for the default ingress gateway). Plain-text servers on one port merge when both
 * are HTTP; TLS servers on one port each keep their own SNI hosts and route (`https.443.<port
 * name>.<gateway>.<namespace>`); a TLS server repeating a host already bound on that port is skipped.
 */
import type { Provenance } from '../../../envoy/config/core.js';
import { labelsMatch, readLabels } from '../../../k8s/labels.js';
import type { GatewaySpec, IstioObject } from '../../model/config.js';
import { isHTTP, parseProtocol } from '../../model/protocol.js';
import type { Gateway, Server } from '../api.js';
import type { ProxyNode } from '../proxyNode.js';

/** A server of a Gateway, with where it came from. */
export interface GatewayServer {
  readonly server: Server;
  /** `namespace/name` of the Gateway. */
  readonly gatewayName: string;
  readonly gateway: IstioObject<GatewaySpec>;
  readonly index: number;
  readonly source: Provenance;
}

/** `model.ServerPort`. */
export interface ServerPort {
  readonly number: number;
  readonly protocol: string;
  readonly bind: string;
}

/** `model.MergedServers`. */
export interface MergedServers {
  readonly port: ServerPort;
  readonly servers: GatewayServer[];
  /** RDS name of plain-text HTTP servers (`http.8080`). */
  routeName: string;
}

/** `model.MergedGateway`. */
export interface MergedGateway {
  readonly serverPorts: readonly ServerPort[];
  readonly mergedServers: ReadonlyMap<string, MergedServers>;
  /** Route name and SNI hosts of each TLS server. */
  readonly tlsServerInfo: ReadonlyMap<
    GatewayServer,
    { readonly routeName: string; readonly sniHosts: readonly string[] }
  >;
  readonly serversByRouteName: ReadonlyMap<string, readonly GatewayServer[]>;
  /** Servers skipped, and why (for explanations). */
  readonly rejected: readonly { readonly server: GatewayServer; readonly reason: string }[];
}

const portKey = (p: ServerPort): string => `${p.number}/${p.protocol}/${p.bind}`;

/** `IsTLSServer`: TLS settings on a non-HTTP protocol. */
export function isTLSServer(s: Server): boolean {
  return s.tls !== undefined && !isHTTP(parseProtocol(s.port.protocol));
}

/** `IsPassThroughServer`. */
export function isPassThroughServer(s: Server): boolean {
  return s.tls?.mode === 'PASSTHROUGH' || s.tls?.mode === 'AUTO_PASSTHROUGH';
}

/** `IsHTTPServer`: HTTP protocols, or HTTPS terminated here. */
export function isHTTPServer(s: Server): boolean {
  const p = parseProtocol(s.port.protocol);
  return isHTTP(p) || (p === 'HTTPS' && !isPassThroughServer(s));
}

/** `IsHTTPSServerWithTLSTermination`. */
export function isHTTPSServerWithTLSTermination(s: Server): boolean {
  return s.tls !== undefined && parseProtocol(s.port.protocol) === 'HTTPS' && !isPassThroughServer(s);
}

/** `gatewayRDSRouteName`: `http.<port>[.bind]`, `https.<number>.<port name>.<gateway>.<ns>[.bind]`, or "". */
export function gatewayRDSRouteName(s: Server, port: number, gw: IstioObject<GatewaySpec>): string {
  const p = parseProtocol(s.port.protocol);
  const bind = s.bind !== undefined && s.bind !== '' ? `.${s.bind}` : '';
  if (isHTTP(p)) return `http.${port}${bind}`;
  if (p === 'HTTPS' && !isPassThroughServer(s))
    return `https.${s.port.number}.${s.port.name ?? ''}.${gw.metadata.name}.${gw.metadata.namespace ?? 'default'}${bind}`;
  return '';
}

/** `sanitizeServerHostNamespace`: `./host` → `<ns>/host`; with namespace `*`, `host` alone (and `*` for all). */
function sanitizeHosts(hosts: readonly string[], namespace: string): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    const slash = h.indexOf('/');
    if (slash < 0) {
      out.push(h);
      continue;
    }
    const ns = h.slice(0, slash);
    const name = h.slice(slash + 1);
    if (ns === '.') out.push(`${namespace}/${name}`);
    else if (ns === '*') {
      if (name === '*') return ['*'];
      out.push(name);
    } else out.push(h);
  }
  return out;
}

/** `GetSNIHostsForServer`: the server's hosts without namespaces, sorted, unique. */
function sniHostsFor(s: Server): string[] {
  return [...new Set(s.hosts.map((h) => (h.includes('/') ? (h.split('/')[1] ?? h) : h)))].sort();
}

/** The Gateways that select `proxy`, oldest first. */
export function gatewaysFor(
  gateways: readonly IstioObject<GatewaySpec>[],
  proxy: Pick<ProxyNode, 'labels'>,
): IstioObject<GatewaySpec>[] {
  return gateways.filter((g) => {
    const sel = (g.spec as unknown as Gateway).selector;
    return sel === undefined || labelsMatch(readLabels(sel), proxy.labels);
  });
}

/** `resolvePorts` with the legacy (label selector) semantics: the first service port with that number → its target port. */
function resolvePort(number: number, proxy: Pick<ProxyNode, 'serviceTargets'>): number {
  const t = proxy.serviceTargets.find((x) => x.port.port === number);
  return t !== undefined ? t.targetPort : number;
}

/** `mergeGateways` for one gateway proxy; undefined when no Gateway selects it. */
export function mergeGateways(
  gateways: readonly IstioObject<GatewaySpec>[],
  proxy: Pick<ProxyNode, 'labels' | 'serviceTargets'>,
): MergedGateway | undefined {
  const selected = gatewaysFor(gateways, proxy);
  if (selected.length === 0) return undefined;
  const gatewayPorts = new Set<number>();
  const nonPlainBinds = new Map<number, Set<string>>();
  const merged = new Map<string, MergedServers>();
  const serverPorts: ServerPort[] = [];
  const plainText = new Map<number, ServerPort>();
  const byRoute = new Map<string, GatewayServer[]>();
  const tlsInfo = new Map<GatewayServer, { routeName: string; sniHosts: string[] }>();
  const tlsHostsByPort = new Map<number, Map<string, string>>();
  const rejected: { server: GatewayServer; reason: string }[] = [];
  const addPlain = (gs: GatewayServer, sp: ServerPort, routeName: string): void => {
    if (!isTLSServer(gs.server)) plainText.set(sp.number, sp);
    if (isHTTPServer(gs.server)) byRoute.set(routeName, [gs]);
    merged.set(portKey(sp), { port: sp, servers: [gs], routeName });
    serverPorts.push(sp);
  };
  for (const gw of selected) {
    const ns = gw.metadata.namespace ?? 'default';
    const gatewayName = `${ns}/${gw.metadata.name}`;
    ((gw.spec as unknown as Gateway).servers ?? []).forEach((raw, index) => {
      const server: Server = { ...raw, hosts: sanitizeHosts(raw.hosts ?? [], ns) };
      const gs: GatewayServer = {
        server,
        gatewayName,
        gateway: gw,
        index,
        source: {
          kind: 'Gateway',
          namespace: ns,
          name: gw.metadata.name,
          file: gw.source.file,
          line: gw.source.lineOf(['spec', 'servers', index]),
          field: `spec.servers[${index}]`,
        },
      };
      const resolved = resolvePort(server.port.number, proxy);
      const routeName = gatewayRDSRouteName(server, resolved, gw);
      const bind = server.bind ?? '';
      if (server.tls !== undefined) {
        let known = tlsHostsByPort.get(resolved);
        if (known === undefined) tlsHostsByPort.set(resolved, (known = new Map()));
        const dup = server.hosts.filter((h) => known?.get(h) === bind);
        if (dup.length > 0) {
          rejected.push({ server: gs, reason: `duplicate host names on port ${resolved}: ${dup.join(', ')}` });
          return;
        }
        for (const h of server.hosts) known.set(h, bind);
        tlsInfo.set(gs, { sniHosts: sniHostsFor(server), routeName });
      }
      const sp: ServerPort = { number: resolved, protocol: server.port.protocol, bind };
      const proto = parseProtocol(sp.protocol);
      if (!gatewayPorts.has(resolved)) {
        gatewayPorts.add(resolved);
        addPlain(gs, sp, routeName);
        return;
      }
      const current = plainText.get(resolved);
      if (current !== undefined) {
        const canMerge =
          (isHTTP(parseProtocol(current.protocol)) || parseProtocol(current.protocol) === proto) && isHTTP(proto);
        if (!canMerge && current.bind === bind) {
          rejected.push({
            server: gs,
            reason: `conflicts with the ${current.protocol} server already on port ${resolved}`,
          });
          return;
        }
        if (routeName === '' && current.bind === bind) {
          rejected.push({ server: gs, reason: 'no RDS route name can be built for it' });
          return;
        }
        if (current.bind !== bind) {
          const ms = merged.get(portKey(sp));
          if (ms === undefined) addPlain(gs, sp, routeName);
          else {
            ms.routeName = routeName;
            ms.servers.push(gs);
            byRoute.set(routeName, [...(byRoute.get(routeName) ?? []), gs]);
          }
        } else {
          const ms = merged.get(portKey(current)) as MergedServers;
          ms.servers.push(gs);
          byRoute.set(routeName, [...(byRoute.get(routeName) ?? []), gs]);
        }
        return;
      }
      // Several TLS (non-plain-text) servers on one port.
      if (!isTLSServer(server)) {
        plainText.set(resolved, sp);
        if (isHTTPServer(server)) byRoute.set(routeName, [gs]);
        merged.set(portKey(sp), { port: sp, servers: [gs], routeName });
        serverPorts.push(sp);
        return;
      }
      if (isHTTPServer(server)) {
        if (routeName === '' || byRoute.has(routeName)) {
          rejected.push({
            server: gs,
            reason:
              routeName === ''
                ? 'no RDS route name can be built for it'
                : `non-unique port name for HTTPS port (route ${routeName})`,
          });
          return;
        }
        byRoute.set(routeName, [gs]);
      }
      let binds = nonPlainBinds.get(resolved);
      if (binds === undefined) nonPlainBinds.set(resolved, (binds = new Set()));
      binds.add(bind);
      const ms = merged.get(portKey(sp));
      if (ms === undefined) {
        merged.set(portKey(sp), { port: sp, servers: [gs], routeName: '' });
        serverPorts.push(sp);
      } else ms.servers.push(gs);
    });
  }
  return { serverPorts, mergedServers: merged, tlsServerInfo: tlsInfo, serversByRouteName: byRoute, rejected };
}

/** The merged servers on a server port. */
export function serversOn(mg: MergedGateway, sp: ServerPort): MergedServers | undefined {
  return mg.mergedServers.get(portKey(sp));
}
