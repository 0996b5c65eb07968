/**
 * `@meshsim/viz/classroom`: the classroom page — a teacher picks a bundled scenario, steps a request
 * through its path hop by hop, and drags sliders (canary weight, fault delay and abort, load-balancing
 * policy, a replica's failure rate) that re-run sim-core in the browser. `renderClassroom` (Node) writes
 * the self-contained page; `lessonFor`, `applySettings` and `runLesson` are what it runs, usable anywhere.
 */
export { applySettings, type AppliedSettings } from './settings.js';
export { errorPercentOf, lessonFor } from './lesson.js';
export { lessonShares, loadClassroomObjects, runLesson } from './runLesson.js';
export {
  CLASSROOM_BANNER,
  classroomCsp,
  classroomRuntime,
  renderClassroom,
  type RenderClassroomOptions,
} from './renderClassroom.js';
export { CLASSROOM_CSS } from './styles.js';
export { CLASSROOM_DATA_ID } from './browser/dataElement.js';
export * from './types.js';
