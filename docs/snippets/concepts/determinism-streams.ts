import { RngStreams } from '@meshsim/sim-core';

const draw = (extraStreams: string[]): number[] => {
  const rng = new RngStreams(42);
  for (const name of extraStreams) rng.stream(name).random(); // other components drawing
  const lb = rng.stream('lb/outbound|9080||reviews.default.svc.cluster.local');
  return [lb.below(3), lb.below(3), lb.below(3), lb.below(3)]; // Envoy's random() % 3
};

const alone = draw([]);
const crowded = draw(['fault/reviews', 'app/ratings', 'traffic/productpage']);
console.log(JSON.stringify(alone) === JSON.stringify(crowded) ? 'same picks' : 'different picks');
