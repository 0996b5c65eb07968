import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario vm-mesh-expansion', () => {
  bundledScenarioTests('vm-mesh-expansion', { digest: '187fe4ba9daa1ce9', variants: ['to-docker', 'split'] });
});
