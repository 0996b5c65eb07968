// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Determinism rule of the house: the simulation core never reads the wall clock or ambient randomness.
// Time comes from the engine's clock, randomness from named seeded streams (engine/rng.ts).
const ambientTimeAndChance = {
  'no-restricted-properties': [
    'error',
    {
      object: 'Math',
      property: 'random',
      message: 'sim-core is deterministic: draw from a named RNG stream (engine/rng.ts).',
    },
    { object: 'Date', property: 'now', message: 'sim-core is deterministic: use the simulation clock (sim.now).' },
    {
      object: 'performance',
      property: 'now',
      message: 'sim-core is deterministic: use the simulation clock (sim.now).',
    },
    { object: 'crypto', property: 'randomUUID', message: 'sim-core is deterministic: draw from a named RNG stream.' },
    {
      object: 'crypto',
      property: 'getRandomValues',
      message: 'sim-core is deterministic: draw from a named RNG stream.',
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'sim-core is deterministic: schedule on the simulation (sim.schedule).' },
    { name: 'setInterval', message: 'sim-core is deterministic: schedule on the simulation (sim.schedule).' },
    { name: 'setImmediate', message: 'sim-core is deterministic: schedule on the simulation (sim.schedule).' },
    { name: 'performance', message: 'sim-core is deterministic: use the simulation clock (sim.now).' },
    { name: 'process', message: 'sim-core runs in browsers: no Node globals (take values as parameters).' },
    { name: 'Buffer', message: 'sim-core runs in browsers: no Node globals (use Uint8Array).' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'sim-core is deterministic: no wall-clock dates.',
    },
  ],
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'],
          message: 'sim-core runs in browsers: no Node-only modules.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'artifacts/**', '**/testdata/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/sim-core/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts'],
    rules: ambientTimeAndChance,
  },
);
