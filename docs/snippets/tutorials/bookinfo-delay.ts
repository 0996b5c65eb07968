import { captureIO, runCli } from '@meshsim/scenarios';

// Istio's fault-injection task: a 7 s delay on ratings for jason. Only the expectations are shown.
const io = captureIO();
await runCli(['run', 'bookinfo', '--variant', 'ratings-delay'], io);
console.log(io.stdout.slice(io.stdout.indexOf('\n✔')).trim());
