/**
 * Constraint checks shared by the arbitraries. As in fast-check, a bad constraint throws before anything is
 * generated — a `RangeError` naming the factory and the field, so a typo in a test fails loudly, at once.
 */

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInteger(factory: string, field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${factory}: ${field} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/** Throws unless `min ≤ max`. */
export function checkOrdered(factory: string, minField: string, min: number, maxField: string, max: number): void {
  if (min > max) throw new RangeError(`${factory}: ${minField} (${min}) must not exceed ${maxField} (${max})`);
}

/** Throws unless the list is non-empty. */
export function checkNonEmpty(factory: string, field: string, list: readonly unknown[]): void {
  if (list.length === 0) throw new RangeError(`${factory}: ${field} must not be empty`);
}

/** Throws unless every element is unique. */
export function checkUnique(factory: string, field: string, list: readonly string[]): void {
  const seen = new Set<string>();
  for (const x of list) {
    if (seen.has(x)) throw new RangeError(`${factory}: ${field} must not repeat ${JSON.stringify(x)}`);
    seen.add(x);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws unless `name` is a DNS-1123 label (a Kubernetes namespace or Service name). */
export function checkDnsLabel(factory: string, field: string, name: string): void {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    throw new RangeError(`${factory}: ${field} ${JSON.stringify(name)} is not a DNS-1123 label (a-z, 0-9, '-')`);
  }
}

/** `value` or `fallback` when undefined. */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}
