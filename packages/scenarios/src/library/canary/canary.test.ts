import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario canary', () => {
  bundledScenarioTests('canary', { digest: 'f0aab8f63b9666ef', variants: ['fifty-fifty', 'slow-v2', 'bad-v2'] });
});
