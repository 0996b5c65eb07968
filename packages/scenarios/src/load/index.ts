/** Loading scenarios: text → checked {@link Scenario}, manifests read and validated, references checked. */
export {
  checkScenarioText,
  parseScenario,
  type ScenarioCheck,
  type ScenarioDocument,
  type ScenarioText,
} from './parseScenario.js';
export { checkScenario, loadScenario, type LoadedScenario, type LoadScenarioOptions } from './loadScenario.js';
export { applyVariant, describeRef, findObject, identityOf, patchObject, type ObjectProblem } from './objects.js';
export { applyJsonPatch, applyMergePatch, jsonEqual, parsePointer, PatchError } from './patch.js';
export {
  effectiveSettings,
  meshConfigJson,
  meshModelOptions,
  mergeMesh,
  mergeNetwork,
  toVirtualMachine,
  type EffectiveSettings,
} from './effective.js';
export {
  checkTarget,
  clusterView,
  modelProblems,
  objectsBeforeEachEvent,
  selectInstances,
  viewOfModel,
  type ClusterView,
  type Instance,
} from './modelChecks.js';
export { parseYamlSource, type Position, type YamlSource } from './yamlSource.js';
