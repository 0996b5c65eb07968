import { ClosedLoopGenerator, ms, s, Simulation } from '@meshsim/sim-core';

const sim = new Simulation();
const sends: string[] = [];
// fortio load -c 2 -qps 8 -t 1s http://echo:8080/ against a server that takes 300 ms
const fortio = new ClosedLoopGenerator(
  sim,
  {
    name: 'fortio',
    source: { kind: 'pod', namespace: 'default', pod: 'fortio-0' },
    connections: 2,
    qps: 8,
    duration: s(1),
    mix: [{ url: 'http://echo:8080/' }],
  },
  {
    send(req, done) {
      sends.push(`c${req.connection}@${req.sentAt / 1000}`);
      sim.schedule(ms(300), () => done({ status: 200 }));
    },
  },
);
fortio.start();
sim.run();
console.log(sends.join(' '));
