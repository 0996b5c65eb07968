import { defineConfig } from 'vitest/config';

// One config for the whole workspace (as fast-check and vitest do): workspace packages resolve to their
// TypeScript sources through the `@meshsim/source` export condition, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['@meshsim/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@meshsim/source', 'module', 'node', 'development|production'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'docs/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    setupFiles: ['./scripts/vitest.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share their worker's modules instead of each re-importing sim-core, scenarios, viz, fast-check and
    // ajv: with the default (`isolate: true`) imports took about 300 of the suite's 540 s. Safe here because
    // the packages keep no module-level state a test could see (the determinism rule) and no test mocks
    // modules or stubs globals; vitest's setup file still runs before every file.
    isolate: false,
    // vitest's default is cores − 1, a single worker on the 2-core machines the project and CI run on.
    maxWorkers: 2,
  },
});
