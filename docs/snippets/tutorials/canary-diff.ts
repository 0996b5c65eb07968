import { captureIO, runCli } from '@meshsim/scenarios';

// What if the rollout had started at 50/50? Same seed, same requests, one change.
const io = captureIO();
await runCli(['diff', 'canary', '--variant', 'fifty-fifty'], io);
console.log(io.stdout.trimEnd());
