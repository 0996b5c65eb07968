import { captureIO, runCli } from '@meshsim/scenarios';

const io = captureIO();
const code = await runCli(['run', 'no-sidecar-vs-sidecar'], io);
console.log(io.stdout.trimEnd());
console.log(`exit code ${code}`);
