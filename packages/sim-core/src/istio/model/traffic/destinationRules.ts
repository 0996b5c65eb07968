/**
 * Which DestinationRule applies to a service for a proxy (`pilot/pkg/model/push_context.go`
 * `destinationRule`): the most specific host match (exact, else the longest matching wildcard,
 * `MostSpecificHostMatch`) among (1) rules in the proxy's namespace visible there, (2) rules exported by
 * the service's namespace, (3) rules exported by the root namespace. Several rules for the same host and
 * selector are merged (`mergeDestinationRule`): the first (oldest) keeps its traffic policy, later ones
 * only add subsets whose names are new. A rule with a `workloadSelector` applies only to the proxies it
 * selects.
 */
import { labelsMatch, readLabels, type Labels } from '../../../k8s/labels.js';
import type { DestinationRuleSpec, IstioConfig, IstioObject } from '../config.js';
import { hostMatches, isWildcarded, resolveShortname } from '../host.js';
import type { MeshConfig } from '../meshConfig.js';
import { resolveExportTo, visibleFrom } from '../visibility.js';

/** A DestinationRule after merging, and the rules it came from. */
export interface MergedDestinationRule {
  /** The FQDN host. */
  readonly host: string;
  readonly spec: DestinationRuleSpec;
  /** The rules merged into it, oldest first. */
  readonly from: readonly IstioObject<DestinationRuleSpec>[];
}

/** The FQDN host of a DestinationRule (short names are relative to its namespace). */
export function destinationRuleHost(dr: IstioObject<DestinationRuleSpec>, domain = 'cluster.local'): string {
  return resolveShortname(dr.spec.host, dr.metadata.namespace ?? 'default', domain);
}

/** Merges rules for one host, oldest first (`mergeDestinationRule`). */
export function mergeDestinationRules(
  rules: readonly IstioObject<DestinationRuleSpec>[],
  domain = 'cluster.local',
): MergedDestinationRule | undefined {
  const first = rules[0];
  if (first === undefined) return undefined;
  let spec: DestinationRuleSpec = { ...first.spec };
  const names = new Set((spec.subsets ?? []).map((s) => s.name));
  for (const r of rules.slice(1)) {
    const added = (r.spec.subsets ?? []).filter((s) => !names.has(s.name));
    for (const s of added) names.add(s.name);
    spec = {
      ...spec,
      subsets: [...(spec.subsets ?? []), ...added],
      ...(spec.trafficPolicy === undefined && r.spec.trafficPolicy !== undefined
        ? { trafficPolicy: r.spec.trafficPolicy }
        : {}),
    };
  }
  return { host: destinationRuleHost(first, domain), spec, from: rules };
}

/**
 * The DestinationRule for service `hostname` (of namespace `serviceNamespace`) as seen by a proxy in
 * `proxyNamespace` with `proxyLabels`.
 */
export function destinationRuleFor(
  istio: Pick<IstioConfig, 'destinationRules'>,
  mesh: Pick<MeshConfig, 'rootNamespace' | 'defaultDestinationRuleExportTo'>,
  proxyNamespace: string,
  hostname: string,
  serviceNamespace: string,
  proxyLabels: Labels = {},
  domain = 'cluster.local',
): MergedDestinationRule | undefined {
  const applicable = istio.destinationRules.filter((dr) => {
    const sel = dr.spec.workloadSelector?.matchLabels;
    return sel === undefined || (dr.metadata.namespace === proxyNamespace && labelsMatch(readLabels(sel), proxyLabels));
  });
  const inNamespace = (ns: string, client: string, local: boolean): IstioObject<DestinationRuleSpec>[] =>
    applicable.filter((dr) => {
      if (dr.metadata.namespace !== ns) return false;
      const vis = resolveExportTo(dr.spec.exportTo, ns, mesh.defaultDestinationRuleExportTo);
      return local ? visibleFrom(vis, ns) : visibleFrom(vis, client);
    });
  const pick = (rules: IstioObject<DestinationRuleSpec>[]): MergedDestinationRule | undefined => {
    const exact = rules.filter((r) => destinationRuleHost(r, domain) === hostname);
    if (exact.length > 0) return mergeDestinationRules(exact, domain);
    const wild = rules
      .filter(
        (r) => isWildcarded(destinationRuleHost(r, domain)) && hostMatches(destinationRuleHost(r, domain), hostname),
      )
      .sort((a, b) => destinationRuleHost(b, domain).length - destinationRuleHost(a, domain).length);
    const best = wild[0];
    return best === undefined
      ? undefined
      : mergeDestinationRules(
          wild.filter((r) => destinationRuleHost(r, domain) === destinationRuleHost(best, domain)),
          domain,
        );
  };
  return (
    pick(inNamespace(proxyNamespace, proxyNamespace, true)) ??
    pick(inNamespace(serviceNamespace, proxyNamespace, false)) ??
    pick(inNamespace(mesh.rootNamespace, proxyNamespace, false))
  );
}
