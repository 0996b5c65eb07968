/**
 * `applicationUID.Analyzer` (IST0144, `deployment/pod.go`): a Pod or Deployment whose pod security context
 * or a container (other than `istio-proxy`) runs as UID 1337, which iptables exempts from capture — its
 * traffic would bypass the sidecar.
 */
import { asArray, asNumber, asRecord, asString, dig } from '../../k8s/json.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

export const applicationUidAnalyzer: Analyzer = {
  name: 'applicationUID.Analyzer',
  analyze(ctx) {
    for (const obj of ctx.model.objects) {
      if (obj.kind !== 'Pod' && obj.kind !== 'Deployment') continue;
      const labels = obj.metadata.labels ?? {};
      if (obj.metadata.namespace === ctx.model.meshConfig.rootNamespace && labels['istio'] !== undefined) continue;
      const spec = obj.kind === 'Pod' ? asRecord(obj.spec) : asRecord(dig(obj.spec, 'template', 'spec'));
      const base = obj.kind === 'Pod' ? ['spec'] : ['spec', 'template', 'spec'];
      if (asNumber(dig(spec, 'securityContext', 'runAsUser')) === 1337)
        ctx.report(MESSAGES.InvalidApplicationUID, obj, [], [...base, 'securityContext', 'runAsUser']);
      asArray(spec?.['containers']).forEach((c, i) => {
        const name = asString(asRecord(c)?.['name']);
        if (name === 'istio-proxy' || name === 'istio-operator') return;
        if (asNumber(dig(c, 'securityContext', 'runAsUser')) === 1337)
          ctx.report(
            MESSAGES.InvalidApplicationUID,
            obj,
            [],
            [...base, 'containers', i, 'securityContext', 'runAsUser'],
          );
      });
    }
  },
};
