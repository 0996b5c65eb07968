#!/usr/bin/env node
// The `meshsim` executable. All logic lives in run.ts so it can be tested in-process.
import { processIO } from './io.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), processIO);
