import { captureIO, runCli } from '@meshsim/scenarios';

// Thirty seeds: how much overflow to expect, with 95 % confidence intervals.
const io = captureIO();
await runCli(['run', 'circuit-breaker', '--runs', '30'], io);
console.log(io.stdout.split('\n\n').slice(0, 2).join('\n\n').trim());
