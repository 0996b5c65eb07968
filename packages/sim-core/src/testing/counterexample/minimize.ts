/**
 * Shrinks a failing mesh to the few objects that still show the failure: greedy one-at-a-time removal
 * (delta debugging at granularity one, Zeller's ddmin end state), repeated until no single object can go.
 * The result is 1-minimal — removing any one object makes the failure disappear (or the request
 * impossible) — so a counterexample reads as "these four objects and this request".
 */

/** Options of {@link minimizeObjects}. */
export interface MinimizeOptions {
  /** Give up after this many checks (each builds a mesh model). @defaultValue 400 */
  readonly maxChecks?: number;
}

/**
 * The smallest sublist of `objects` (in their order) for which `fails` still holds, found greedily;
 * `objects` itself when `fails` does not hold for it. `fails` must not throw.
 */
export function minimizeObjects<T>(
  objects: readonly T[],
  fails: (subset: readonly T[]) => boolean,
  options: MinimizeOptions = {},
): T[] {
  let budget = options.maxChecks ?? 400;
  let current = [...objects];
  if (!fails(current)) return current;
  let changed = true;
  while (changed && budget > 0) {
    changed = false;
    // Last to first: objects a manifest lists late (VirtualServices, DestinationRules) usually matter least to
    // the ones before them, so the earlier ones stay stable while later ones go.
    for (let i = current.length - 1; i >= 0 && budget > 0; i--) {
      const candidate = current.filter((_, j) => j !== i);
      budget--;
      if (fails(candidate)) {
        current = candidate;
        changed = true;
      }
    }
  }
  return current;
}
