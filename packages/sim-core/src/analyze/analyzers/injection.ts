/**
 * `injection.Analyzer` (`pkg/config/analysis/analyzers/injection/injection.go`):
 * - IST0123 NamespaceMultipleInjectionLabels: a namespace carries `istio-injection` and `istio.io/rev` (or
 *   `istio.io/dataplane-mode`) where they conflict.
 * - IST0102 NamespaceNotInjected: a namespace (other than `istio-system`) with neither `istio-injection` nor
 *   `istio.io/rev`.
 * - IST0103 PodMissingProxy: a pod in an `istio-injection=enabled` namespace, not opted out and not on the host
 *   network, without an `istio-proxy` container. In meshsim's model the webhook injects every pod created from
 *   the manifests, so this is a pod of a `kubectl get -o yaml` dump that was created before injection was on.
 */
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

export const injectionAnalyzer: Analyzer = {
  name: 'injection.Analyzer',
  analyze(ctx) {
    const { model } = ctx;
    const injected = new Set<string>();
    for (const ns of model.cluster.namespaces) {
      if (!ns.declared || ns.source === undefined || ns.name === 'istio-system') continue;
      const obj = { kind: 'Namespace', metadata: { name: ns.name }, source: ns.source };
      const injection = ns.labels['istio-injection'];
      const rev = ns.labels['istio.io/rev'];
      const labels: string[] = [];
      if (injection !== undefined) labels.push(`istio-injection=${injection}`);
      for (const l of ['istio.io/rev', 'istio.io/dataplane-mode']) {
        if (ns.labels[l] !== undefined && (injection === undefined || injection === 'enabled'))
          labels.push(`${l}=${ns.labels[l]}`);
      }
      if (labels.length > 1) ctx.report(MESSAGES.NamespaceMultipleInjectionLabels, obj, [labels]);
      if (ns.labels['istio.io/dataplane-mode'] === 'ambient') continue;
      if ((injection === undefined || injection === '') && rev === undefined) {
        if (!model.injection.enableNamespacesByDefault)
          ctx.report(MESSAGES.NamespaceNotInjected, obj, [ns.name, ns.name], ['metadata', 'name']);
        continue;
      }
      if (injection === 'enabled') injected.add(ns.name);
    }
    for (const pod of model.cluster.pods) {
      if (!injected.has(pod.namespace) || pod.hostNetwork) continue;
      const opt = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'] ?? '';
      if (opt.toLowerCase() === 'false') continue;
      if ([...pod.containers, ...pod.initContainers].some((c) => c.name === 'istio-proxy')) continue;
      const kind = pod.workload.kind === 'Pod' || pod.existing ? 'Pod' : pod.workload.kind;
      const name = kind === 'Pod' ? pod.name : pod.workload.name;
      ctx.report(MESSAGES.PodMissingProxy, { kind, metadata: { name, namespace: pod.namespace }, source: pod.source }, [
        `${pod.namespace}/${pod.name}`,
      ]);
    }
  },
};
