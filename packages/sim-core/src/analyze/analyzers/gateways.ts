/**
 * Gateway analyzers (`pkg/config/analysis/analyzers/gateway/`):
 * - IST0101 `selector` (`gateway.go`, `secret.go`): the selector matches no pod (in any namespace).
 * - IST0162 GatewayPortNotDefinedOnService (`gateway.go`): a server port is neither a target port nor a port of
 *   a TCP Service selecting the gateway pods.
 * - IST0101 `credentialName` (`secret.go`): the TLS secret is not in the namespace of the gateway pods.
 * - IST0145 ConflictingGateways (`conflictinggateway.go`): another Gateway with the same (or an overlapping)
 *   selector has a server on the same port with an identical host and bind.
 */
import { compareStrings } from '../../k8s/json.js';
import { formatLabels, labelsMatch, readLabels, type Labels } from '../../k8s/labels.js';
import type { GatewaySpec, IstioObject } from '../../istio/model/config.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

function selectorField(selector: Labels): (string | number)[] {
  const first = Object.keys(selector).sort()[0];
  return first !== undefined ? ['spec', 'selector', first] : ['spec', 'selector'];
}

export const gatewayAnalyzer: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  analyze(ctx) {
    const { cluster } = ctx.model;
    for (const gw of ctx.model.istio.gateways) {
      const selector = readLabels(gw.spec.selector);
      const pods = cluster.pods.filter((p) => labelsMatch(selector, p.labels));
      if (pods.length === 0) {
        ctx.report(
          MESSAGES.ReferencedResourceNotFound,
          gw,
          ['selector', formatLabels(selector)],
          selectorField(selector),
        );
        continue;
      }
      const servicePorts = new Set<number>();
      const portMapping = new Map<number, number>();
      for (const pod of pods) {
        for (const svc of cluster.services) {
          if (svc.namespace !== pod.namespace || !labelsMatch(svc.selector ?? {}, pod.labels)) continue;
          for (const p of svc.ports) {
            if (p.protocol !== 'TCP') continue;
            const tp = typeof p.targetPort === 'number' ? p.targetPort : 0;
            if (tp !== 0) {
              servicePorts.add(tp);
              if (!portMapping.has(p.port)) portMapping.set(p.port, tp);
            } else servicePorts.add(p.port);
          }
        }
      }
      (gw.spec.servers ?? []).forEach((server) => {
        const port = server.port?.number;
        if (port === undefined) return;
        if (!servicePorts.has(port) && !portMapping.has(port))
          ctx.report(
            MESSAGES.GatewayPortNotDefinedOnService,
            gw,
            [port, formatLabels(selector)],
            selectorField(selector),
          );
      });
      const gwNamespace = pods[0]?.namespace;
      (gw.spec.servers ?? []).forEach((server, i) => {
        const cn = server.tls?.credentialName;
        if (cn === undefined || cn === '') return;
        const slash = cn.indexOf('/');
        const ns = slash < 0 ? gwNamespace : cn.slice(0, slash);
        const name = slash < 0 ? cn : cn.slice(slash + 1);
        const found = [...ctx.model.objects, ...ctx.model.installObjects].some(
          (o) => o.kind === 'Secret' && o.metadata.namespace === ns && o.metadata.name === name,
        );
        if (!found)
          ctx.report(
            MESSAGES.ReferencedResourceNotFound,
            gw,
            ['credentialName', cn],
            ['spec', 'servers', i, 'tls', 'credentialName'],
          );
      });
    }
  },
};

export const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  analyze(ctx) {
    const { cluster } = ctx.model;
    const gws = ctx.model.istio.gateways;
    const sel = (gw: IstioObject<GatewaySpec>): Labels => readLabels(gw.spec.selector);
    const overlapping = (a: Labels, b: Labels): boolean => {
      const sa = formatLabels(a);
      const sb = formatLabels(b);
      if (sa === sb) return true;
      if (!sa.includes(sb) && !sb.includes(sa)) return false;
      return cluster.pods.some((p) => labelsMatch(a, p.labels) && labelsMatch(b, p.labels));
    };
    for (const gw of gws) {
      const id = `${gw.metadata.namespace}/${gw.metadata.name}`;
      for (const server of gw.spec.servers ?? []) {
        const port = server.port?.number;
        const conflicts: string[] = [];
        for (const other of gws) {
          const otherId = `${other.metadata.namespace}/${other.metadata.name}`;
          if (otherId === id || !overlapping(sel(gw), sel(other))) continue;
          const clash = (other.spec.servers ?? []).some(
            (o) =>
              o.port?.number === port &&
              (o.hosts ?? []).some((h) => (server.hosts ?? []).includes(h) && (o.bind ?? '') === (server.bind ?? '')),
          );
          if (clash) conflicts.push(otherId);
        }
        if (conflicts.length > 0) {
          ctx.report(MESSAGES.ConflictingGateways, gw, [
            [...new Set(conflicts)].sort(compareStrings).join(','),
            formatLabels(sel(gw)),
            String(port),
            (server.hosts ?? []).join(','),
          ]);
        }
      }
    }
  },
};
