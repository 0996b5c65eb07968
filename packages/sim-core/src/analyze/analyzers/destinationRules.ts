/**
 * DestinationRule analyzers:
 * - IST0174 UnknownDestinationRuleHost (`destinationrule/subset.go`): the host matches no service visible to
 *   the rule's namespace.
 * - IST0173 DestinationRuleSubsetNotSelectPods: a subset's labels select no endpoint of the service.
 *   istioctl checks the labels against every pod of the cluster; meshsim checks them against the service's
 *   endpoints (pods, WorkloadEntries, ServiceEntry endpoints) — what Envoy's subset cluster will contain — so a
 *   subset selecting only VMs is not reported, and one selecting pods of another service is.
 * - MSH0002 MultipleDestinationRulesForHost (meshsim): several rules without workload selector for the same
 *   host in one namespace, which istiod merges (`mergeDestinationRule`): only the oldest one's traffic policy
 *   is used.
 */
import { compareStrings } from '../../k8s/json.js';
import { labelsMatch, readLabels } from '../../k8s/labels.js';
import type { DestinationRuleSpec, IstioObject } from '../../istio/model/config.js';
import { destinationRuleHost } from '../../istio/model/traffic/destinationRules.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';
import { destinationService } from './virtualServiceDestinations.js';

export const destinationRuleAnalyzer: Analyzer = {
  name: 'destinationrule.SubsetSelectPodAnalyzer',
  analyze(ctx) {
    const { model } = ctx;
    for (const dr of model.istio.destinationRules) {
      const ns = dr.metadata.namespace ?? 'default';
      const svc = destinationService(
        model.registry.services,
        dr.spec.host ?? '',
        ns,
        dr.spec.exportTo,
        model.cluster.domain,
      );
      if (svc === undefined) {
        ctx.report(MESSAGES.UnknownDestinationRuleHost, dr, [dr.spec.host], ['spec', 'host']);
        continue;
      }
      const endpoints = model.registry.endpoints.filter(
        (e) => e.hostname === svc.hostname && e.serviceNamespace === svc.namespace,
      );
      (dr.spec.subsets ?? []).forEach((subset, i) => {
        const labels = readLabels(subset.labels);
        if (!endpoints.some((e) => labelsMatch(labels, e.labels)))
          ctx.report(MESSAGES.DestinationRuleSubsetNotSelectPods, dr, [subset.name], ['spec', 'subsets', i, 'name']);
      });
    }
  },
};

export const multipleDestinationRulesAnalyzer: Analyzer = {
  name: 'meshsim.MultipleDestinationRulesAnalyzer',
  analyze(ctx) {
    const groups = new Map<string, IstioObject<DestinationRuleSpec>[]>();
    for (const dr of ctx.model.istio.destinationRules) {
      if (dr.spec.workloadSelector !== undefined) continue;
      const key = `${dr.metadata.namespace}/${destinationRuleHost(dr, ctx.model.cluster.domain)}`;
      groups.set(key, [...(groups.get(key) ?? []), dr]);
    }
    for (const [key, list] of groups) {
      if (list.length < 2) continue;
      const names = list
        .map((d) => `${d.metadata.namespace}/${d.metadata.name}`)
        .sort(compareStrings)
        .join(',');
      const host = key.slice(key.indexOf('/') + 1);
      for (const dr of list) ctx.report(MESSAGES.MultipleDestinationRulesForHost, dr, [names, host], ['spec', 'host']);
    }
  },
};
