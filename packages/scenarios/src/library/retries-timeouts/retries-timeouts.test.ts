import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario retries-timeouts', () => {
  bundledScenarioTests('retries-timeouts', { digest: '8d2fb0608de6c7a9', variants: ['no-retries', 'no-timeout'] });
});
