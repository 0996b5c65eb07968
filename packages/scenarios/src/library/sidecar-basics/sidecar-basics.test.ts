import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario sidecar-basics', () => {
  bundledScenarioTests('sidecar-basics', { digest: 'c930c1ad40fc7952', variants: ['no-injection'] });
});
