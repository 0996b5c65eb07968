import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario ingress-gateway', () => {
  bundledScenarioTests('ingress-gateway', { digest: '28a61f84b49ef660', variants: ['first-version'] });
});
