/**
 * `@meshsim/sim-core/testing`: helpers for property tests of meshsim and of users' own mesh rules.
 * fast-check arbitraries, ready-made properties and vitest matchers join this entry as they are built.
 */
export { fixedRandom } from '../engine/rng.js';
export {
  binomialAcceptance,
  binomialInterval,
  chiSquareCritical,
  chiSquareStatistic,
  exponentialMeanRatioInterval,
  normalCritical,
  normalVarianceRatioInterval,
  wilsonInterval,
  type Interval,
} from './stats.js';
