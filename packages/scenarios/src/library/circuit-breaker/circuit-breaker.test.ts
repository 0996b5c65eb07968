import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario circuit-breaker', () => {
  bundledScenarioTests('circuit-breaker', { digest: '71451a6db814fb3c', variants: ['no-limits'] });
});
