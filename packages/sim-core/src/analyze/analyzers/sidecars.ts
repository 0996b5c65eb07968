/**
 * `sidecar.SelectorAnalyzer` (`sidecar/selector.go`): a Sidecar with a workload selector must select a pod of
 * its namespace (IST0101 `selector`); a pod selected by several Sidecars makes each of them IST0110; several
 * selector-less Sidecars in a namespace make each IST0111.
 */
import { compareStrings } from '../../k8s/json.js';
import { formatLabels, labelsMatch, readLabels } from '../../k8s/labels.js';
import type { IstioObject, SidecarSpec } from '../../istio/model/config.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

export const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar.SelectorAnalyzer',
  analyze(ctx) {
    const { model } = ctx;
    const byPod = new Map<string, IstioObject<SidecarSpec>[]>();
    const byNamespace = new Map<string, IstioObject<SidecarSpec>[]>();
    for (const sc of model.istio.sidecars) {
      const ns = sc.metadata.namespace ?? 'default';
      const labels = readLabels(sc.spec.workloadSelector?.labels);
      if (Object.keys(labels).length === 0) {
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), sc]);
        continue;
      }
      const pods = model.cluster.pods.filter((p) => p.namespace === ns && labelsMatch(labels, p.labels));
      if (pods.length === 0) {
        const first = Object.keys(labels).sort(compareStrings)[0] as string;
        ctx.report(
          MESSAGES.ReferencedResourceNotFound,
          sc,
          ['selector', formatLabels(labels)],
          ['spec', 'workloadSelector', 'labels', first],
        );
      }
      for (const p of pods)
        byPod.set(`${p.namespace}/${p.name}`, [...(byPod.get(`${p.namespace}/${p.name}`) ?? []), sc]);
    }
    for (const [pod, list] of byPod) {
      if (list.length < 2) continue;
      const names = list.map((s) => s.metadata.name).sort(compareStrings);
      const [ns, name] = pod.split('/') as [string, string];
      for (const sc of list)
        ctx.report(MESSAGES.ConflictingSidecarWorkloadSelectors, sc, [names, ns, name], ['metadata', 'name']);
    }
    for (const [ns, list] of byNamespace) {
      if (list.length < 2) continue;
      const names = list.map((s) => s.metadata.name).sort(compareStrings);
      for (const sc of list) ctx.report(MESSAGES.MultipleSidecarsWithoutWorkloadSelectors, sc, [names, ns]);
    }
  },
};
