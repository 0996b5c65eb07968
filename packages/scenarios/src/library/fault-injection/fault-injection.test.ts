import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario fault-injection', () => {
  bundledScenarioTests('fault-injection', { digest: '7d548a34c978e327', variants: ['no-faults'] });
});
