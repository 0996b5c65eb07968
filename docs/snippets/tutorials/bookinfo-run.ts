import { captureIO, runCli } from '@meshsim/scenarios';

const io = captureIO();
const code = await runCli(['run', 'bookinfo'], io);
console.log(io.stdout.trimEnd());
console.log(`exit code ${code}`);
