import { ms } from '@meshsim/sim-core';
import { IstioMetrics, istioRequestLabels, parsePrometheusText } from '@meshsim/sim-core/envoy';
import type { WorkloadMetadata } from '@meshsim/sim-core/envoy';

const productpage: WorkloadMetadata = {
  workload: 'productpage-v1',
  namespace: 'default',
  labels: { app: 'productpage', version: 'v1' },
};
const reviewsV2: WorkloadMetadata = {
  workload: 'reviews-v2',
  namespace: 'default',
  labels: { app: 'reviews', version: 'v2' },
};
const metrics = new IstioMetrics();
// The server sidecar of reviews-v2 reports three requests from productpage over mTLS.
const labels = istioRequestLabels({
  reporter: 'destination',
  local: reviewsV2,
  peer: productpage,
  localPrincipal: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
  peerPrincipal: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage',
  service: { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' },
  responseCode: 200,
  responseFlags: '-',
});
for (const d of [ms(4.2), ms(5.9), ms(31)]) metrics.record(labels, d, 612, 1394);

const text = metrics.renderPrometheus();
console.log(text.split('\n')[1]);
const duration = parsePrometheusText(text).find((f) => f.name === 'istio_request_duration_milliseconds')!;
for (const s of duration.samples.slice(0, 7).concat(duration.samples.slice(-2))) {
  const le = s.labels.find(([n]) => n === 'le');
  console.log(`${s.name}${le ? `{le="${le[1]}"}` : ''} ${s.value}`);
}
