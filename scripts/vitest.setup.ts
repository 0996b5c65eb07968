// Pins fast-check's seed so property tests are reproducible in CI (fast-check's own CI does the same).
// Override with FC_SEED=<n> to explore other seeds locally; a failing run prints its seed and path.
import fc from 'fast-check';

const seed = Number(process.env['FC_SEED'] ?? 20_261_122);
fc.configureGlobal({ seed, ...(process.env['FC_NUM_RUNS'] ? { numRuns: Number(process.env['FC_NUM_RUNS']) } : {}) });
