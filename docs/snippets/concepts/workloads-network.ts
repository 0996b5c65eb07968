import { Network, s, Simulation } from '@meshsim/sim-core';
import type { NetworkEndpoint } from '@meshsim/sim-core';

const productpage: NetworkEndpoint = { kind: 'pod', pod: 'default/productpage-v1-0', node: 'node-a' };
const reviews: NetworkEndpoint = { kind: 'pod', pod: 'default/reviews-v2-0', node: 'node-b' };
const sim = new Simulation({ seed: 3 });
const net = new Network(sim, {
  links: { crossNode: { latency: { kind: 'constant', value: 150 } } },
  partitions: [{ from: 0, until: s(2.5), nodes: ['node-b'] }], // node-b is cut off for 2.5 s
});
console.log(net.hop(productpage, reviews));
console.log(JSON.stringify(net.connect(productpage, reviews, s(10)))); // Istio's default connect timeout
console.log(JSON.stringify(net.connect(productpage, reviews, s(1))));
console.log(JSON.stringify(net.transit(productpage, reviews)));
