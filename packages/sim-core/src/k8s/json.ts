/**
 * Defensive readers for untyped manifest JSON. The model is built from every loaded object — also from ones
 * validation rejected, because `meshsim analyze` reports on everything at once — so a reader never throws on a
 * field of the wrong type: it returns `undefined` and the validator's finding explains the problem.
 */

/** The value as a plain object, or `undefined`. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The value as an array, or an empty one. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string, or `undefined`. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value as a finite number (numeric strings are not converted), or `undefined`. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The value as a boolean, or `undefined`. */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** Follows a path of keys/indices into untyped JSON. */
export function dig(value: unknown, ...path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = asRecord(cur)?.[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Strings of an array, others dropped. */
export function asStrings(value: unknown): readonly string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Code-unit string order: deterministic everywhere, unlike `localeCompare`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders namespaced things by namespace, then name. */
export function byNamespaceName(
  a: { readonly namespace?: string; readonly name: string },
  b: { readonly namespace?: string; readonly name: string },
): number {
  return compareStrings(a.namespace ?? '', b.namespace ?? '') || compareStrings(a.name, b.name);
}
