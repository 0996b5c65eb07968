/**
 * `@meshsim/sim-core/testing/vitest`: meshsim's assertions for vitest. Call {@link registerMatchers} once
 * (in a setup file or at the top of a test file):
 *
 * - `expect(mesh).toRoute({ from, url, headers })` — the request reaches an upstream cluster; chain
 *   `.to({ host, subset, port })` (or `.not.to(…)`) for where;
 * - `expect(decisionOrRequests).toSplit({ v1: 90, v2: 10 }, { alpha })` — exact on a route decision,
 *   an exact binomial test on sampled or simulated requests;
 * - `expect(decisionOrRequests).toHaveStatus(503, { share: 10 })`;
 * - `expect(property).toHold()` — runs a ready-made property; a failure prints the counterexample as
 *   `kubectl apply`-able YAML plus the request, and saves it under `meshsim-counterexamples/`.
 *
 * vitest is a peer dependency of this entry only; `@meshsim/sim-core` and `@meshsim/sim-core/testing`
 * never load it.
 */
import { chai, expect } from 'vitest';
import type { RouteCall } from '../explain/call.js';
import {
  checkMeshProperty,
  type MeshProperty,
  type MeshPropertyParameters,
  MeshPropertyError,
} from './properties/property.js';
import { destinationResult, routedResult, type RouteDestination } from './matchers/route.js';
import { splitResult, type ToSplitOptions } from './matchers/split.js';
import { statusResult, type ToHaveStatusOptions } from './matchers/status.js';
import type { RouteDecision } from './routing/decide.js';

/** What `toRoute(call)` returns: chain `.to(destination)` or `.not.to(destination)`. */
export interface RouteAssertion {
  readonly decision: RouteDecision;
  to(destination: RouteDestination): void;
  readonly not: { to(destination: RouteDestination): void };
}

/** Options of {@link registerMatchers}. */
export interface RegisterMatchersOptions {
  /**
   * Where `toHold` saves counterexamples (relative to the working directory), or `false` not to save.
   * @defaultValue `'meshsim-counterexamples'` (or `$MESHSIM_COUNTEREXAMPLES`)
   */
  readonly counterexampleDir?: string | false;
}

interface NodeFs {
  mkdirSync(path: string, options: { recursive: boolean }): unknown;
  writeFileSync(path: string, data: string): void;
}

// This entry runs under vitest — in Node, or in a browser runner where there is no file system. Node's fs
// is looked up at run time (process.getBuiltinModule, Node ≥ 20.16) so the module itself loads anywhere;
// the simulator never imports it.
function nodeRuntime(): { fs: NodeFs; env: Readonly<Record<string, string | undefined>> } | undefined {
  const proc = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; env?: Record<string, string | undefined> } }
  ).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  return fs === undefined ? undefined : { fs, env: proc?.env ?? {} };
}

let counterexampleDir: string | false = 'meshsim-counterexamples';

/** Writes a counterexample file; returns its path, or undefined when files cannot or should not be written. */
export function saveCounterexample(fileName: string, text: string): string | undefined {
  const node = nodeRuntime();
  const dir = node?.env['MESHSIM_COUNTEREXAMPLES'] ?? counterexampleDir;
  if (node === undefined || dir === false || dir === '') return undefined;
  const path = `${dir.replace(/\/+$/, '')}/${fileName}`;
  node.fs.mkdirSync(dir, { recursive: true });
  node.fs.writeFileSync(path, text);
  return path;
}

type ChaiUtils = { flag(assertion: object, key: string): unknown };
type AssertionCtor = { prototype: object };

let registered = false;

/** Registers `toRoute`, `toSplit`, `toHaveStatus` and `toHold` on vitest's `expect`. Idempotent. */
export function registerMatchers(options: RegisterMatchersOptions = {}): void {
  if (options.counterexampleDir !== undefined) counterexampleDir = options.counterexampleDir;
  if (registered) return;
  registered = true;
  chai.use(
    (
      c: { Assertion: AssertionCtor; AssertionError: new (message: string) => Error },
      utils: ChaiUtils & {
        addMethod(proto: object, name: string, fn: (this: object, ...args: never[]) => unknown): void;
      },
    ) => {
      utils.addMethod(c.Assertion.prototype, 'toRoute', function (this: object, call: RouteCall): RouteAssertion {
        const negate = utils.flag(this, 'negate') === true;
        const { decision, result } = routedResult(utils.flag(this, 'object'), call);
        if (result.pass === negate) throw new c.AssertionError(result.message);
        const check = (destination: RouteDestination, not: boolean): void => {
          if (negate)
            throw new c.AssertionError(
              'use expect(mesh).toRoute(call).not.to(destination), not expect(mesh).not.toRoute(call).to(…)',
            );
          const r = destinationResult(decision, destination);
          if (r.pass === not) throw new c.AssertionError(r.message);
        };
        return { decision, to: (d) => check(d, false), not: { to: (d) => check(d, true) } };
      });
    },
  );
  expect.extend({
    toSplit(actual: unknown, expected: Readonly<Record<string, number>>, opts?: ToSplitOptions) {
      const r = splitResult(actual, expected, opts);
      return { pass: r.pass, message: () => r.message };
    },
    toHaveStatus(actual: unknown, status: number | readonly number[], opts?: ToHaveStatusOptions) {
      const r = statusResult(actual, status, opts);
      return { pass: r.pass, message: () => r.message };
    },
    toHold(actual: unknown, params?: MeshPropertyParameters) {
      const result = checkMeshProperty(actual as MeshProperty<unknown>, params);
      if (result.ok) {
        return { pass: true, message: () => `expected the property to fail, but it held for ${result.numRuns} runs` };
      }
      const error = new MeshPropertyError(result.counterexample);
      const saved = saveCounterexample(error.file.name, error.file.text);
      return { pass: false, message: () => `${error.message}${saved !== undefined ? `\n(saved to ${saved})` : ''}` };
    },
  });
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match vitest's own declaration to merge
  interface Matchers<T = any> {
    /** The request reaches an upstream cluster; chain `.to({ host, subset, port })` for where. */
    toRoute(call: RouteCall): RouteAssertion;
    /** The split matches `expected` (`{ v1: 90, v2: 10 }`): exactly on a decision, at `alpha` on counts. */
    toSplit(expected: Readonly<Record<string, number>>, options?: ToSplitOptions): T;
    /** Every request (or `share` % of them) gets `status`. */
    toHaveStatus(status: number | readonly number[], options?: ToHaveStatusOptions): T;
    /** The mesh property holds; on failure the counterexample is printed and saved. */
    toHold(parameters?: MeshPropertyParameters): T;
  }
}
