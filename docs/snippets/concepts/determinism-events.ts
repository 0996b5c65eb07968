import { ms, Simulation } from '@meshsim/sim-core';

const sim = new Simulation({ seed: 42 });
const timeout = sim.schedule(ms(15_000), () => console.log('route timeout fired'));
sim.schedule(ms(20), () => {
  console.log(`response at ${sim.now} µs`);
  timeout.cancel(); // O(1): timeouts are cancelled far more often than they fire
});
console.log(JSON.stringify(sim.run())); // also: sim.step(), sim.run({ until }), sim.run({ maxEvents })
