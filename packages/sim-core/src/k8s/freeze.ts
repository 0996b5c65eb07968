/**
 * Deep freezing for the model. Parts already frozen (the loaded manifests, constants shared between pods)
 * are not walked again, so freezing a model costs only what is new in it.
 */

/** Freezes `value` and everything reachable from it that is not frozen yet; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
