import { ms, RngStreams } from '@meshsim/sim-core';
import { Circllhist, LatencyHistogram } from '@meshsim/sim-core/envoy';

// meshsim's own latency histogram: HDR buckets in µs, fixed memory.
const latency = new LatencyHistogram();
const rng = new RngStreams(1).stream('demo');
for (let i = 0; i < 100_000; i++) latency.record(Math.round(ms(20) * Math.exp(0.8 * (rng.float() + rng.float() - 1))));
console.log(
  `p50 ${latency.percentile(50)} µs, p99 ${latency.percentile(99)} µs, ${latency.footprintBytes} bytes for ${latency.count} values`,
);

// Envoy's histogram: 5 ms lands in the bin [5, 5.1), which is not entirely ≤ 5, so le="5" does not count it.
const envoy = new Circllhist();
envoy.record(5);
console.log(`le="5": ${envoy.countBelow(5)}, le="10": ${envoy.countBelow(10)}, _sum: ${envoy.approxSum()}`);
