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
  },
});
