/**
 * The ready-made properties of `@meshsim/sim-core/testing`, run from a rule-test file's `properties:` list:
 *
 * ```yaml
 * properties:
 *   - everyRequestReachesDestination
 *   - noUnreachableRules
 *   - splitMatchesWeights: {hosts: [reviews.shop.svc.cluster.local], expected: {v1: 90, v2: 10}}
 *   - retriesNeverExceedAttempts: {envoyHeaders: true, numRuns: 200}
 * ```
 *
 * Each runs with fast-check from a fixed seed (`--seed`); a failing one yields its minimized
 * counterexample, which `meshsim check` prints and saves as `kubectl apply`-able YAML plus the request.
 */
import type { MeshModel } from '@meshsim/sim-core';
import {
  checkMeshProperty,
  counterexampleFileName,
  everyRequestReachesDestination,
  faultsOnlyAffectMatching,
  formatCounterexample,
  noUnreachableRules,
  retriesNeverExceedAttempts,
  routingInvariance,
  splitMatchesWeights,
  type Counterexample,
  type MeshProperty,
} from '@meshsim/sim-core/testing';

/** A property as the tests file names it, with its options. */
export interface PropertySpec {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly line: number;
}

/** The outcome of one property. */
export interface PropertyResult {
  readonly spec: PropertySpec;
  readonly title: string;
  readonly status: 'passed' | 'failed';
  readonly numRuns: number;
  readonly seed: number;
  readonly counterexample?: Counterexample;
  /** The counterexample file (name and YAML). */
  readonly file?: { readonly name: string; readonly text: string };
}

type Factory = (model: MeshModel, options: Record<string, unknown>) => MeshProperty<unknown>;

/** The properties a tests file may name, and the options each accepts (besides `numRuns`). */
export const PROPERTIES: Readonly<Record<string, { readonly make: Factory; readonly options: readonly string[] }>> = {
  everyRequestReachesDestination: {
    make: (m, o) => everyRequestReachesDestination(m, o) as MeshProperty<unknown>,
    options: ['from', 'hosts', 'allowPassthrough', 'requireEndpoints', 'envoyHeaders'],
  },
  noUnreachableRules: {
    make: (m, o) => noUnreachableRules(m, o) as MeshProperty<unknown>,
    options: ['failOnUnknown'],
  },
  splitMatchesWeights: {
    make: (m, o) => splitMatchesWeights(m, o) as MeshProperty<unknown>,
    options: ['from', 'hosts', 'expected', 'by', 'tolerance', 'empirical'],
  },
  faultsOnlyAffectMatching: {
    make: (m, o) => faultsOnlyAffectMatching(m, o) as MeshProperty<unknown>,
    options: ['from', 'hosts', 'empirical'],
  },
  retriesNeverExceedAttempts: {
    make: (m, o) => retriesNeverExceedAttempts(m, o) as MeshProperty<unknown>,
    options: ['from', 'hosts', 'maxRetries', 'envoyHeaders', 'empirical'],
  },
  routingInvariance: {
    make: (m, o) => routingInvariance(m, o) as MeshProperty<unknown>,
    options: ['from', 'hosts'],
  },
};

/** Runs the properties of a file on `model`, each from `seed`. */
export function runProperties(model: MeshModel, specs: readonly PropertySpec[], seed: number): PropertyResult[] {
  return specs.map((spec) => {
    const { numRuns, ...options } = spec.options as { numRuns?: number };
    const entry = PROPERTIES[spec.name];
    if (entry === undefined) throw new RangeError(`unknown property ${spec.name}`);
    const p = entry.make(model, options);
    const r = checkMeshProperty(p, { seed, ...(numRuns !== undefined ? { numRuns } : {}) });
    if (r.ok) return { spec, title: p.name, status: 'passed', numRuns: r.numRuns, seed };
    const name = counterexampleFileName(r.counterexample);
    return {
      spec,
      title: p.name,
      status: 'failed',
      numRuns: r.numRuns,
      seed,
      counterexample: r.counterexample,
      file: { name, text: formatCounterexample(r.counterexample, name) },
    };
  });
}
