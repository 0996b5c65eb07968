/**
 * Service analyzers:
 * - IST0118 PortNameIsNotUnderNamingConvention (`service/portname.go`): a port whose protocol Istio cannot
 *   tell from `protocol`, `appProtocol` or a `<protocol>[-suffix]` name (Envoy will sniff it); IST0150 for a
 *   `tcp` port of an ExternalName service. Istio's own control-plane services are skipped.
 * - MSH0001 TargetPortNotFound (meshsim): a named `targetPort` no selected pod defines.
 */
import { asArray, asRecord, asString, dig } from '../../k8s/json.js';
import { convertKubeProtocol } from '../../istio/model/protocol.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

export const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  analyze(ctx) {
    for (const obj of ctx.model.objects) {
      if (obj.kind !== 'Service') continue;
      const labels = obj.metadata.labels ?? {};
      if (
        obj.metadata.namespace === ctx.model.meshConfig.rootNamespace &&
        (labels['istio'] !== undefined || labels['app'] === 'istiod')
      )
        continue;
      const type = asString(dig(obj.spec, 'type'));
      asArray(dig(obj.spec, 'ports')).forEach((p, i) => {
        const port = asRecord(p);
        const number = port?.['port'];
        if (typeof number !== 'number') return;
        const name = asString(port?.['name']);
        const proto = asString(port?.['protocol']) ?? 'TCP';
        const appProtocol = asString(port?.['appProtocol']);
        const instance = convertKubeProtocol(number, name, proto, appProtocol);
        if (instance === 'UnsupportedProtocol' || (name === 'tcp' && type === 'ExternalName')) {
          const tp = port?.['targetPort'];
          ctx.report(
            MESSAGES.PortNameIsNotUnderNamingConvention,
            obj,
            [name ?? '', number, tp === undefined ? '0' : String(tp)],
            ['spec', 'ports', i, 'port'],
          );
        }
      });
    }
  },
};
