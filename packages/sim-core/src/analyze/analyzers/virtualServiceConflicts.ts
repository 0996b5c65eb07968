/**
 * `virtualservice.ConflictingMeshGatewayHostsAnalyzer` (IST0109,
 * `pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go`): VirtualServices bound to the
 * `mesh` gateway (no `gateways`, or `mesh` among them) that define the same host for the same audience
 * (`exportTo` scope; a namespace scope also conflicts with `*`-scoped ones matching the host). istiod does not
 * merge them: for sidecars the oldest wins. The host is printed with its scope in front (`<scope>/<host>`, the
 * scope being `*` for everyone).
 */
import { compareStrings } from '../../k8s/json.js';
import { hostMatches } from '../../istio/model/host.js';
import type { IstioObject, VirtualServiceSpec } from '../../istio/model/config.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

/** istioctl's `ConvertHostToFQDN`: only dot-less, non-wildcard names are expanded. */
function toFqdn(host: string, ns: string, domain: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${ns}.svc.${domain}`;
}

export const conflictingMeshGatewayHostsAnalyzer: Analyzer = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  analyze(ctx) {
    const byScopedHost = new Map<string, IstioObject<VirtualServiceSpec>[]>();
    for (const vs of ctx.model.istio.virtualServices) {
      const gateways = vs.spec.gateways ?? [];
      if (gateways.length > 0 && !gateways.includes('mesh')) continue;
      const ns = vs.metadata.namespace ?? 'default';
      const exportTo = vs.spec.exportTo ?? [];
      const scopes =
        exportTo.length === 0 || exportTo.includes('*')
          ? ['*']
          : [...new Set(exportTo.map((e) => (e === '.' ? ns : e)))];
      for (const scope of scopes) {
        for (const h of vs.spec.hosts ?? []) {
          const key = `${scope}/${toFqdn(h, ns, ctx.model.cluster.domain)}`;
          byScopedHost.set(key, [...(byScopedHost.get(key) ?? []), vs]);
        }
      }
    }
    const reported = new Set<string>();
    for (const key of [...byScopedHost.keys()].sort(compareStrings)) {
      let list = byScopedHost.get(key) ?? [];
      const slash = key.indexOf('/');
      const scope = key.slice(0, slash);
      const host = key.slice(slash + 1);
      if (scope !== '*') {
        for (const [other, vss] of byScopedHost) {
          const oSlash = other.indexOf('/');
          if (other.slice(0, oSlash) === '*' && hostMatches(host, other.slice(oSlash + 1))) list = [...list, ...vss];
        }
      }
      if (list.length <= 1) continue;
      const names = list
        .map((v) => `${v.metadata.namespace}/${v.metadata.name}`)
        .sort(compareStrings)
        .join(',');
      for (const vs of list) {
        const id = `${vs.metadata.namespace}/${vs.metadata.name}`;
        if (reported.has(id)) continue;
        reported.add(id);
        ctx.report(MESSAGES.ConflictingMeshGatewayVirtualServiceHosts, vs, [names, key], ['metadata', 'name']);
      }
    }
  },
};
