import { captureIO, runCli } from '@meshsim/scenarios';

// The same requests with and without the retry policy, paired (common random numbers).
const io = captureIO();
await runCli(['diff', 'retries-timeouts', '--variant', 'no-retries'], io);
const text = io.stdout;
console.log(text.slice(0, text.indexOf('\ntraffic search-client')).trim());
