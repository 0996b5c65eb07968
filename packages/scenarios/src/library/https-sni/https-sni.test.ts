import { describe } from 'vitest';
import { bundledScenarioTests } from '../bundledTest.js';

describe('bundled scenario https-sni', () => {
  bundledScenarioTests('https-sni', { digest: 'd89803c6af7d494a', variants: ['one-certificate'] });
});
