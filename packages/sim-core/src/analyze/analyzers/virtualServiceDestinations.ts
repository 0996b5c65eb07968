/**
 * `virtualservice.DestinationHostAnalyzer` and `virtualservice.DestinationRuleAnalyzer`
 * (`pkg/config/analysis/analyzers/virtualservice/destinationhosts.go`, `destinationrules.go`):
 * - IST0101 `host` / `mirror host`: no service (Kubernetes Service or ServiceEntry host, exact or by a
 *   wildcard ServiceEntry) with that host is visible to the VirtualService's namespace (or to the namespaces
 *   it is exported to); short names are relative to the VirtualService's namespace.
 * - IST0112: no destination port while the service has several ports.
 * - IST0101 `host:port`: the destination port is not a port of the service.
 * - IST0101 `host+subset in destinationrule` / `mirror+subset in destinationrule`: the DestinationRule the
 *   VirtualService's namespace uses for that host (istiod's lookup, `destinationRuleFor`) defines no such
 *   subset (Envoy would have no such cluster: 503 NC).
 */
import { asStrings } from '../../k8s/json.js';
import { hostMatches, isWildcarded, resolveShortname } from '../../istio/model/host.js';
import type { MeshService } from '../../istio/model/registry/types.js';
import { destinationRuleFor } from '../../istio/model/traffic/destinationRules.js';
import { visibleFrom } from '../../istio/model/visibility.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';
import { mirrorDestinations, routeDestinations } from './routeDestinations.js';

/** The service a VirtualService destination names, as the analyzer finds it. */
export function destinationService(
  services: readonly MeshService[],
  host: string,
  vsNamespace: string,
  vsExportTo: readonly string[] | undefined,
  domain: string,
): MeshService | undefined {
  const fqdn = resolveShortname(host, vsNamespace, domain);
  const scopes =
    vsExportTo === undefined || vsExportTo.length === 0
      ? [vsNamespace]
      : vsExportTo.map((e) => (e === '.' ? vsNamespace : e));
  const visible = (s: MeshService): boolean =>
    scopes.some((ns) => (ns === '*' ? s.exportTo === '*' : visibleFrom(s.exportTo, ns)));
  return (
    services.find((s) => s.hostname === fqdn && visible(s)) ??
    services.find(
      (s) => s.kind === 'ServiceEntry' && isWildcarded(s.hostname) && hostMatches(s.hostname, fqdn) && visible(s),
    )
  );
}

export const destinationHostAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationHostAnalyzer',
  analyze(ctx) {
    const { model } = ctx;
    for (const vs of model.istio.virtualServices) {
      const ns = vs.metadata.namespace ?? 'default';
      const exportTo = asStrings(vs.spec.exportTo);
      for (const d of [...routeDestinations(vs.spec), ...mirrorDestinations(vs.spec)]) {
        const svc = destinationService(model.registry.services, d.host, ns, exportTo, model.cluster.domain);
        if (svc === undefined) {
          ctx.report(
            MESSAGES.ReferencedResourceNotFound,
            vs,
            [d.kind === 'mirror' ? 'mirror host' : 'host', d.host],
            d.hostPath,
          );
          continue;
        }
        if (d.port === undefined) {
          if (svc.ports.length > 1)
            ctx.report(
              MESSAGES.VirtualServiceDestinationPortSelectorRequired,
              vs,
              [d.host, svc.ports.map((p) => p.port)],
              d.hostPath,
            );
        } else if (!svc.ports.some((p) => p.port === d.port)) {
          ctx.report(MESSAGES.ReferencedResourceNotFound, vs, ['host:port', `${d.host}:${d.port}`], d.hostPath);
        }
      }
    }
  },
};

export const destinationSubsetAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationRuleAnalyzer',
  analyze(ctx) {
    const { model } = ctx;
    for (const vs of model.istio.virtualServices) {
      const ns = vs.metadata.namespace ?? 'default';
      for (const d of [...routeDestinations(vs.spec), ...mirrorDestinations(vs.spec)]) {
        if (d.subset === undefined) continue;
        const fqdn = resolveShortname(d.host, ns, model.cluster.domain);
        const svc = destinationService(
          model.registry.services,
          d.host,
          ns,
          asStrings(vs.spec.exportTo),
          model.cluster.domain,
        );
        const dr = destinationRuleFor(
          model.istio,
          model.meshConfig,
          ns,
          fqdn,
          svc?.namespace ?? ns,
          {},
          model.cluster.domain,
        );
        if (dr?.spec.subsets?.some((s) => s.name === d.subset) === true) continue;
        ctx.report(
          MESSAGES.ReferencedResourceNotFound,
          vs,
          [
            d.kind === 'mirror' ? 'mirror+subset in destinationrule' : 'host+subset in destinationrule',
            `${d.host}+${d.subset}`,
          ],
          d.hostPath,
        );
      }
    }
  },
};
