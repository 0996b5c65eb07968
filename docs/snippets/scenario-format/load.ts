import { formatDuration } from '@meshsim/sim-core';
import { loadScenario } from '@meshsim/scenarios';

// Paths are relative to the working directory (run from the repository root).
const loaded = await loadScenario('packages/scenarios/src/load/testdata/good/canary/scenario.yaml');
const { scenario } = loaded;
console.log(`${scenario.name}: ${scenario.description}`);
for (const t of scenario.traffic) {
  const load = t.rate !== undefined ? `${t.rate}/s ${t.arrival}` : `${t.connections} connection(s) at ${t.qps} qps`;
  console.log(`traffic ${t.name}: ${load}, ${t.mix[0]?.method} ${t.mix[0]?.url}`);
}
for (const e of scenario.events) console.log(`event ${formatDuration(e.at)}: ${e.name}`);
console.log(`variants: ${scenario.variants.map((v) => v.name).join(', ')}`);
console.log(`objects: ${loaded.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(' ')}`);
const vs = loaded.objects.find((o) => o.kind === 'VirtualService');
console.log(`the inline VirtualService is at ${vs?.source.file}:${vs?.source.line}`);
