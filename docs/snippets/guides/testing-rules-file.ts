import { readFileSync } from 'node:fs';

// The rule tests for the canary walkthrough, as they sit next to meshsim's own tests.
console.log(readFileSync('packages/scenarios/src/check/testdata/canary.rules.yaml', 'utf8').trimEnd());
