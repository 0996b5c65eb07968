/**
 * Ready-made properties of a mesh, and how they run. A {@link MeshProperty} is an arbitrary (of requests,
 * rules, added namespaces…) and a check; {@link checkMeshProperty} runs it with fast-check (seeded, shrinking
 * the failing value), then turns the shrunk value into a {@link Counterexample} — minimized objects plus
 * the request — and {@link assertMeshProperty} throws it as a readable error, handing the YAML to a `save`
 * callback (the vitest entry writes it to a file). `meshProperty` gives the bare fast-check property for
 * `fc.assert` or `test.prop`.
 */
import fc from 'fast-check';
import { MeshsimError } from '../../errors.js';
import { counterexampleFileName, formatCounterexample, type Counterexample } from '../counterexample/counterexample.js';

/** Why a value breaks a property. `code` groups failures that are "the same" (it guides minimization). */
export interface Violation {
  readonly code: string;
  readonly message: string;
}

/** A property of a mesh: for every value of `arbitrary`, `check` finds no violation. */
export interface MeshProperty<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** `undefined` when the property holds for `value`. Never throws for a well-formed value. */
  check(value: T): Violation | undefined;
  /** The counterexample for a failing `value` (minimized objects, request, trace). */
  explain(value: T, violation: Violation): Omit<Counterexample, 'property' | 'seed' | 'path' | 'numRuns'>;
  /** fast-check parameters this property runs with unless the caller gives others (e.g. fewer runs). */
  readonly parameters?: fc.Parameters<[T]>;
}

/** Options of {@link checkMeshProperty}: fast-check's parameters, plus whether to minimize. */
export interface MeshPropertyParameters extends fc.Parameters<[unknown]> {
  /** Shrink the counterexample's objects to a 1-minimal set. @defaultValue true */
  readonly minimize?: boolean;
}

/** The outcome of {@link checkMeshProperty}. */
export type MeshPropertyResult =
  | { readonly ok: true; readonly numRuns: number; readonly seed: number }
  | { readonly ok: false; readonly numRuns: number; readonly seed: number; readonly counterexample: Counterexample };

/** The fast-check property behind `p`, for `fc.assert(meshProperty(p))`. */
export function meshProperty<T>(p: MeshProperty<T>): fc.IPropertyWithHooks<[T]> {
  return fc.property(p.arbitrary, (value) => {
    const v = p.check(value);
    if (v !== undefined) throw new Error(`${p.name}: ${v.message}`);
  });
}

/** Runs `p` and, on failure, builds its counterexample from the shrunk value. */
export function checkMeshProperty<T>(p: MeshProperty<T>, parameters: MeshPropertyParameters = {}): MeshPropertyResult {
  const { minimize: _m, ...fcParams } = parameters;
  const details = fc.check(
    fc.property(p.arbitrary, (value) => p.check(value) === undefined),
    { ...(p.parameters ?? {}), ...(fcParams as fc.Parameters<[T]>) },
  );
  if (!details.failed) return { ok: true, numRuns: details.numRuns, seed: details.seed };
  // A check that throws (rather than returning a violation) is a bug: rethrow it as fast-check caught it.
  if (details.counterexample === null)
    throw details.errorInstance ?? new Error('property failed without a counterexample');
  const value = details.counterexample[0];
  const violation = p.check(value) as Violation;
  const cx: Counterexample = {
    property: p.name,
    ...p.explain(value, violation),
    seed: details.seed,
    ...(details.counterexamplePath !== null ? { path: details.counterexamplePath } : {}),
    numRuns: details.numRuns,
  };
  return { ok: false, numRuns: details.numRuns, seed: details.seed, counterexample: cx };
}

/** A property that does not hold; `counterexample` has the objects and the request. */
export class MeshPropertyError extends MeshsimError {
  readonly counterexample: Counterexample;
  /** The counterexample file's suggested name and content. */
  readonly file: { readonly name: string; readonly text: string };
  constructor(cx: Counterexample) {
    const name = counterexampleFileName(cx);
    const text = formatCounterexample(cx, name);
    super('property', `property "${cx.property}" does not hold\n${cx.message}\n\n${text}`);
    this.counterexample = cx;
    this.file = { name, text };
  }
}

/** Options of {@link assertMeshProperty}. */
export interface AssertMeshPropertyOptions extends MeshPropertyParameters {
  /** Called with the counterexample file before the error is thrown (e.g. to write it to disk). */
  readonly save?: (fileName: string, text: string) => void;
}

/** Throws a {@link MeshPropertyError} (after `save`) when `p` does not hold. */
export function assertMeshProperty<T>(p: MeshProperty<T>, options: AssertMeshPropertyOptions = {}): void {
  const { save, ...params } = options;
  const result = checkMeshProperty(p, params);
  if (result.ok) return;
  const error = new MeshPropertyError(result.counterexample);
  save?.(error.file.name, error.file.text);
  throw error;
}
