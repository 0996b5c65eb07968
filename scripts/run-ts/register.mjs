// Runs meshsim's TypeScript sources directly on Node 20: `node --conditions=@meshsim/source --import
// ./scripts/run-ts/register.mjs FILE.ts`. The hooks (hooks.mjs) strip the types with esbuild, file by file.
//
// Why not tsx: tsx always compiles with esbuild's `keepNames`, which wraps every function and closure
// creation in a `__name(fn, "name")` call (an Object.defineProperty). The simulator creates closures on its
// hot paths, and that wrapper alone made a Bookinfo run ≈ 25 % slower than the same code compiled by tsc —
// the CLI, `pnpm demo` and `pnpm bench` would measure an artifact the built package does not have.
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./hooks.mjs', import.meta.url);
