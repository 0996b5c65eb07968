/**
 * fast-check's `stringMatching`, built once per pattern. Building one compiles the regular expression into
 * arbitraries and takes milliseconds, and the factories that use it run inside other arbitraries' `chain()`
 * — once per generated mesh, VirtualService or match block — so building, not generating, was most of the
 * time of the properties over `mesh()`. Arbitraries are immutable and building one draws no randomness:
 * sharing it changes no generated value.
 */
import fc from 'fast-check';

const built = new Map<string, fc.Arbitrary<string>>();

/** `fc.stringMatching(pattern)`, the same instance for the same pattern. */
export function stringMatchingOnce(pattern: RegExp): fc.Arbitrary<string> {
  const key = `/${pattern.source}/${pattern.flags}`;
  let arbitrary = built.get(key);
  if (arbitrary === undefined) {
    arbitrary = fc.stringMatching(pattern);
    built.set(key, arbitrary);
  }
  return arbitrary;
}
