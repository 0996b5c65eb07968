/** @meshsim/scenarios — the scenario format, bundled scenarios, the runner and the `meshsim` CLI. */
export { runCli, VERSION } from './cli/run.js';
export type { CliIO } from './cli/io.js';
export { captureIO } from './cli/captureIO.js';
export * from './schema/index.js';
export * from './load/index.js';
export * from './check/index.js';
export * from './runner/index.js';
export * from './output/index.js';
export * from './library/index.js';
