import { captureIO, runCli } from '@meshsim/scenarios';

// `meshsim run canary` (also what `meshsim run` and `pnpm demo` run).
const io = captureIO();
const code = await runCli(['run', 'canary'], io);
console.log(io.stdout.trimEnd());
console.log(`exit code ${code}`);
