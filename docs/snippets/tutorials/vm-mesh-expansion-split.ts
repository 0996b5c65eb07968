import { captureIO, runCli } from '@meshsim/scenarios';

// The VirtualService's weights at 50/50: where each generator's requests went (JSON output, summarized).
const io = captureIO();
await runCli(['run', 'vm-mesh-expansion', '--variant', 'split', '-o', 'json'], io);
const result = JSON.parse(io.stdout) as {
  destinations: { subset?: string; requests: number; pods: { pod: string; requests: number }[] }[];
};
for (const d of result.destinations) {
  console.log(`subset ${d.subset}: ${d.requests} requests — ${d.pods.map((p) => `${p.pod} ${p.requests}`).join(', ')}`);
}
