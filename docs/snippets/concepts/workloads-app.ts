import { AppReplica, compileBehaviour, ms, OpenLoopGenerator, resolveReplica, Simulation } from '@meshsim/sim-core';
import type { AppSpec } from '@meshsim/sim-core';

const reviews: AppSpec = {
  serviceTime: { kind: 'lognormal', median: ms(20), p99: ms(120) },
  concurrency: 4, // worker threads
  queueLimit: 8, // one more waiting request gets the overload answer
  overload: { status: 503 },
  errors: [{ status: 500, probability: 0.01 }],
  replicas: [{ index: 2, serviceTime: { kind: 'lognormal', median: ms(200), p99: ms(900) } }], // one bad pod
};

const sim = new Simulation({ seed: 7 });
const pods = ['reviews-v1-0', 'reviews-v1-1', 'reviews-v1-2'];
const statuses = pods.map(() => new Map<number, number>());
pods.forEach((pod, index) => {
  const app = new AppReplica({
    sim,
    namespace: 'default',
    pod,
    behaviour: compileBehaviour(resolveReplica(reviews, { index, pod })),
  });
  const load = new OpenLoopGenerator(
    sim,
    {
      name: `load-${pod}`,
      source: { kind: 'external', name: 'client' },
      rate: 60,
      requests: 600,
      mix: [{ url: 'http://reviews:9080/reviews/0' }],
    },
    { send: (req, done) => app.handle(req, (res) => done({ status: res.kind === 'response' ? res.status : 0 })) },
    (_req, res) => statuses[index]!.set(res.status, (statuses[index]!.get(res.status) ?? 0) + 1),
  );
  load.start();
});
sim.run();
pods.forEach((pod, i) => console.log(pod, JSON.stringify([...statuses[i]!].sort((a, b) => a[0] - b[0]))));
