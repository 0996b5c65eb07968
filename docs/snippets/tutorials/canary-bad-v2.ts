import { captureIO, runCli } from '@meshsim/scenarios';

// A broken v2: what the users see in each phase of the rollout (JSON output, summarized here).
const io = captureIO();
await runCli(['run', 'canary', '--variant', 'bad-v2', '-o', 'json'], io);
const result = JSON.parse(io.stdout) as {
  generators: { name: string; requests: number; statusCodes: Record<string, number> }[];
};
for (const g of result.generators)
  console.log(`${g.name}: ${g.requests} requests, status codes ${JSON.stringify(g.statusCodes)}`);
