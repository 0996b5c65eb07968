import { captureIO, runCli } from '@meshsim/scenarios';

// What the sidecars cost: the same requests with and without them (common random numbers).
const io = captureIO();
await runCli(['diff', 'sidecar-basics', '--variant', 'no-injection'], io);
console.log(io.stdout.trimEnd());
