import fc from 'fast-check';
import { registerMatchers } from '@meshsim/sim-core/testing/vitest';

// toRoute / toSplit / toHaveStatus / toHold on vitest's expect; counterexamples go to ./counterexamples.
registerMatchers({ counterexampleDir: 'counterexamples' });
// A fixed seed: the same runs every time, in CI too (FC_SEED explores others).
fc.configureGlobal({ seed: Number(process.env['FC_SEED'] ?? 424242) });
