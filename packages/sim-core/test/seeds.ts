/**
 * Test helpers: the seed walkthrough fixtures of `packages/sim-core/testdata/seeds/` (read with Node's fs —
 * tests only; sim-core itself never touches files).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ManifestInput } from '../src/k8s/load/loadManifests.js';

/** The repository's `packages/sim-core` folder. */
export const SIM_CORE_DIR = join(import.meta.dirname, '..');
/** `packages/sim-core/testdata/seeds`. */
export const SEEDS_DIR = join(SIM_CORE_DIR, 'testdata', 'seeds');

/** The seed fixture folders. */
export const SEED_NAMES = [
  'sidecar',
  'simple-ingress',
  'https-ingress',
  'canary',
  'fault-injection',
  'vm-mesh-expansion',
] as const;
export type SeedName = (typeof SEED_NAMES)[number];

/** Every `.yaml`/`.yml`/`.json` file under `dir`, recursively, in sorted order, as `kubectl apply -f dir` reads them. */
export function readManifestDir(dir: string, base = SIM_CORE_DIR): ManifestInput[] {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((f) => {
        const p = join(d, f);
        return statSync(p).isDirectory() ? walk(p) : /\.(ya?ml|json)$/.test(f) ? [p] : [];
      });
  return walk(dir).map((file) => ({ file: relative(base, file), text: readFileSync(file, 'utf8') }));
}

/** The manifests of one seed fixture (file names relative to `packages/sim-core`). */
export function seedInputs(name: SeedName): ManifestInput[] {
  return readManifestDir(join(SEEDS_DIR, name));
}

/** A file of a seed fixture as text (e.g. `vm-mesh-expansion`, `vm/cluster.env`). */
export function seedFile(name: SeedName, file: string): string {
  return readFileSync(join(SEEDS_DIR, name, file), 'utf8');
}
