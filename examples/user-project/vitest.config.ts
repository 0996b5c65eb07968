import { defineConfig } from 'vitest/config';

// A project that installs @meshsim/sim-core from the registry needs no `resolve` here: the package's built
// JavaScript is used. Inside meshsim's repository this example runs without an install of its own — its
// dependencies resolve through the repository's node_modules — and the `@meshsim/source` condition picks
// the packages' TypeScript sources, so no build is needed either.
export default defineConfig({
  resolve: { conditions: ['@meshsim/source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['@meshsim/source', 'module', 'node', 'development|production'] } },
  test: {
    include: ['**/*.spec.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
  },
});
