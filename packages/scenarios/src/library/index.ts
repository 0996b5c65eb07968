/** The bundled scenarios and the resolution of a `SCENARIO|FILE` argument. */
export {
  bundledScenarioFile,
  bundledScenarios,
  DEFAULT_SCENARIO,
  libraryDir,
  type BundledScenario,
} from './bundled.js';
export { loadScenarioArg, parseCount, scenarioPath } from './resolve.js';
