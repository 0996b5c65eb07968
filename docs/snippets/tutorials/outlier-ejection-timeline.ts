import { loadScenario, run } from '@meshsim/scenarios';

// When did the client see a 503? Group them into bursts: each burst ends with an ejection.
const loaded = await loadScenario('packages/scenarios/src/library/outlier-ejection/scenario.yaml');
const failures: number[] = [];
run(loaded, { onOutcome: (o) => void (o.status === 503 && failures.push(o.startTime)) });
const bursts: number[][] = [];
for (const t of failures.sort((a, b) => a - b)) {
  const last = bursts[bursts.length - 1];
  if (last !== undefined && t - (last[last.length - 1] as number) < 1_000_000) last.push(t);
  else bursts.push([t]);
}
for (const b of bursts)
  console.log(`${b.length} × 503 between ${(b[0]! / 1e6).toFixed(3)} s and ${(b[b.length - 1]! / 1e6).toFixed(3)} s`);
