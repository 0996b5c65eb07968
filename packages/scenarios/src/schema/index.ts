/** The scenario format: its typed model, its JSON Schema, validation, normalization and printing. */
export * from './types/index.js';
export { SCENARIO_SCHEMA_ID, scenarioSchema } from './jsonSchema/scenario.js';
export type { JsonSchema } from './jsonSchema/common.js';
export { schemaIssues } from './validate.js';
export { normalizeScenario, type NormalizeResult } from './normalize/scenario.js';
export { describeEvent, describeTarget } from './normalize/events.js';
export { DEFAULT_ALPHA, RESPONSE_FLAGS } from './normalize/expect.js';
export { FORTIO_DEFAULT_QPS } from './normalize/traffic.js';
export { issueToConfigError, type Issue, type ScenarioErrorCode } from './issue.js';
export { didYouMean, editDistance } from './didYouMean.js';
export { printScenario, scenarioToJson } from './print.js';
