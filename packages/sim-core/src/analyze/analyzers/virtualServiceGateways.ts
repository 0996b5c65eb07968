/**
 * `virtualservice.GatewayAnalyzer` (`pkg/config/analysis/analyzers/virtualservice/gateways.go`): every
 * gateway a VirtualService binds to (other than `mesh`) must exist — `name` means the VirtualService's
 * namespace, `ns/name` another (IST0101 `gateway`) — and at least one of the VirtualService's hosts must match
 * a host of that gateway's servers visible to the VirtualService's namespace (IST0132). As in istioctl, a
 * missing gateway also yields IST0132 (it has no hosts).
 */
import { hostMatches } from '../../istio/model/host.js';
import type { GatewaySpec, IstioObject } from '../../istio/model/config.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

/** The hosts of a Gateway's servers a VirtualService in `vsNamespace` may bind (`host.NamesForNamespace`). */
export function gatewayHostsFor(gw: IstioObject<GatewaySpec> | undefined, vsNamespace: string): string[] {
  if (gw === undefined) return [];
  const gwNs = gw.metadata.namespace ?? 'default';
  const out: string[] = [];
  for (const server of gw.spec.servers ?? []) {
    for (const h of server.hosts ?? []) {
      const slash = h.indexOf('/');
      if (slash < 0) {
        out.push(h);
        continue;
      }
      const ns = h.slice(0, slash);
      const name = h.slice(slash + 1);
      const owner = ns === '.' ? gwNs : ns;
      if (owner === '*' || owner === vsNamespace) out.push(name);
    }
  }
  return out;
}

/** The Gateway `ref` (`name` or `namespace/name`) names from `vsNamespace`. */
export function findGateway(
  gateways: readonly IstioObject<GatewaySpec>[],
  ref: string,
  vsNamespace: string,
): IstioObject<GatewaySpec> | undefined {
  const slash = ref.indexOf('/');
  const ns = slash < 0 ? vsNamespace : ref.slice(0, slash);
  const name = slash < 0 ? ref : ref.slice(slash + 1);
  return gateways.find((g) => g.metadata.name === name && (g.metadata.namespace ?? 'default') === ns);
}

export const virtualServiceGatewayAnalyzer: Analyzer = {
  name: 'virtualservice.GatewayAnalyzer',
  analyze(ctx) {
    for (const vs of ctx.model.istio.virtualServices) {
      const ns = vs.metadata.namespace ?? 'default';
      (vs.spec.gateways ?? []).forEach((ref, i) => {
        if (ref === 'mesh') return;
        const gw = findGateway(ctx.model.istio.gateways, ref, ns);
        const fullName = ref.includes('/') ? ref : `${ns}/${ref}`;
        if (gw === undefined)
          ctx.report(MESSAGES.ReferencedResourceNotFound, vs, ['gateway', ref], ['spec', 'gateways', i]);
        const gwHosts = gatewayHostsFor(gw, ns);
        const vsHosts = vs.spec.hosts ?? [];
        if (!gwHosts.some((gh) => vsHosts.some((vh) => hostMatches(gh, vh)))) {
          ctx.report(
            MESSAGES.VirtualServiceHostNotFoundInGateway,
            vs,
            [vsHosts, `${ns}/${vs.metadata.name}`, fullName],
            ['spec', 'gateways', i],
          );
        }
      });
    }
  },
};
