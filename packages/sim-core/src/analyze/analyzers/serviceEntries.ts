/**
 * ServiceEntry analyzers:
 * - IST0134 ServiceEntryAddressesRequired (`serviceentry/protocoladdresses.go`): a TCP (or protocol-less) port
 *   on a ServiceEntry that has neither `addresses` nor an address from Istio's allocation controller (resolution
 *   `NONE`, allocation opted out or disabled), so its listener would capture the whole port.
 * - IST0127 NoMatchingWorkloadsFound: a `workloadSelector` that selects no pod and no WorkloadEntry of the
 *   ServiceEntry's namespace — the service has no endpoints. (istioctl has no analyzer for this; meshsim
 *   reports it with the code istioctl uses for selectors that match nothing.)
 */
import { formatLabels, labelsMatch, readLabels } from '../../k8s/labels.js';
import type { Analyzer } from '../context.js';
import { MESSAGES } from '../messages.js';

export const serviceEntryAnalyzer: Analyzer = {
  name: 'serviceentry.Analyzer',
  analyze(ctx) {
    const { model } = ctx;
    for (const se of model.istio.serviceEntries) {
      const ns = se.metadata.namespace ?? 'default';
      const allocated = model.serviceEntryAddresses.some((a) => a.namespace === ns && a.name === se.metadata.name);
      if ((se.spec.addresses ?? []).length === 0 && !allocated) {
        (se.spec.ports ?? []).forEach((p, i) => {
          if (p.protocol === undefined || p.protocol === '' || p.protocol.toUpperCase() === 'TCP')
            ctx.report(MESSAGES.ServiceEntryAddressesRequired, se, [], ['spec', 'ports', i, 'name']);
        });
      }
      const selector = se.spec.workloadSelector?.labels;
      if (selector === undefined) continue;
      const labels = readLabels(selector);
      const pods = model.cluster.pods.some((p) => p.namespace === ns && labelsMatch(labels, p.labels));
      const wes = model.istio.workloadEntries.some(
        (w) => w.metadata.namespace === ns && labelsMatch(labels, readLabels(w.spec.labels)),
      );
      if (!pods && !wes)
        ctx.report(
          MESSAGES.NoMatchingWorkloadsFound,
          se,
          [formatLabels(labels)],
          ['spec', 'workloadSelector', 'labels'],
        );
    }
  },
};
