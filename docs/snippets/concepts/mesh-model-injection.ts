import { DEFAULT_INJECTION_CONFIG, injectionDecision } from '@meshsim/sim-core';

// Does a pod get a sidecar? The webhook's selectors first, then istiod's injectRequired.
const cases: [string, Record<string, string>, Record<string, string>, Record<string, string>][] = [
  ['namespace enabled', { 'istio-injection': 'enabled' }, {}, {}],
  ['pod opts out with the label', { 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }, {}],
  ['pod opts in, namespace unlabelled', {}, { 'sidecar.istio.io/inject': 'true' }, {}],
  ['legacy annotation only', {}, {}, { 'sidecar.istio.io/inject': 'true' }],
  ['namespace disabled, pod opts in', { 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }, {}],
  ['revision label', { 'istio.io/rev': 'default' }, {}, {}],
];
for (const [name, nsLabels, labels, annotations] of cases) {
  const d = injectionDecision(
    { namespace: 'shop', labels, annotations, hostNetwork: false },
    nsLabels,
    DEFAULT_INJECTION_CONFIG,
  );
  console.log(`${d.inject ? 'inject' : 'skip  '}  ${name}: ${d.reason}`);
}
