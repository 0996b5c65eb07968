/** @meshsim/scenarios — the scenario format, bundled scenarios, the runner and the `meshsim` CLI. */
export { runCli, VERSION } from './cli/run.js';
export type { CliIO } from './cli/io.js';
export * from './schema/index.js';
export * from './load/index.js';
