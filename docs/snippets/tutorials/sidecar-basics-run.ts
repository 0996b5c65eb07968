import { captureIO, runCli } from '@meshsim/scenarios';

// `meshsim run sidecar-basics`, in-process.
const io = captureIO();
const code = await runCli(['run', 'sidecar-basics'], io);
console.log(io.stdout.trimEnd());
console.log(`exit code ${code}`);
