import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario no-sidecar-vs-sidecar', () => {
  bundledScenarioTests('no-sidecar-vs-sidecar', { digest: 'fb38bbb9ab175b9d', variants: [] });
});
