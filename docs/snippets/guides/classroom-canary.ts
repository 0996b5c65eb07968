import { bundledScenarioFile, classroomScenario, loadScenario } from '@meshsim/scenarios';
import { loadClassroomObjects, runLesson } from '@meshsim/viz/classroom';

// What the classroom page does when the canary slider moves: edit the route's weights, run again.
const loaded = await loadScenario(bundledScenarioFile('canary') ?? 'canary');
const canary = classroomScenario(loaded);
const objects = loadClassroomObjects(canary);
console.log(`follows: ${canary.lesson.request}`);
for (const canaryWeight of [10, 50, 90]) {
  const run = runLesson(canary, objects, { canaryWeight });
  const counts = run.routeShares.map((r) => `${r.label} ${r.count}`).join(', ');
  console.log(`weight ${canaryWeight}: ${counts} of ${run.routeShares.reduce((a, r) => a + r.count, 0)}`);
}
console.log(runLesson(canary, objects, { canaryWeight: 50 }).changes.join('\n'));
