import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario outlier-ejection', () => {
  bundledScenarioTests('outlier-ejection', { digest: '3682f0d2add96a16', variants: ['no-outlier-detection'] });
});
