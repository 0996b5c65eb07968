import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario bookinfo', () => {
  bundledScenarioTests('bookinfo', { digest: '7e4748e841e2ed64', variants: ['reviews-50-v3', 'ratings-delay'] });
});
