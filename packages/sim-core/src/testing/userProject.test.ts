/**
 * Acceptance: a project outside the workspace (examples/user-project, with its own package.json and
 * vitest config) tests its rules with `@meshsim/sim-core/testing` and its vitest matchers. It is run the way
 * its owner would run it — vitest in a child process, rooted at the project — resolving meshsim through
 * the repository's node_modules, so it needs no install of its own on a clean clone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const PROJECT = join(REPO, 'examples', 'user-project');
const VITEST = join(REPO, 'node_modules', 'vitest', 'vitest.mjs');

describe('examples/user-project', () => {
  it('runs its vitest file with the arbitraries, properties and matchers, and passes', () => {
    expect(existsSync(join(PROJECT, 'package.json'))).toBe(true);
    const r = spawnSync(
      process.execPath,
      [VITEST, 'run', '--root', PROJECT, '--reporter', 'verbose', '--color=false'],
      {
        cwd: PROJECT,
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1' },
      },
    );
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.error, output).toBeUndefined();
    expect(r.status, output).toBe(0);
    expect(output).toContain('sends beta testers to v2');
    expect(output).toContain('any valid VirtualService for catalog keeps every request routed');
    expect(output).toMatch(/Tests\s+6 passed \(6\)/);
  }, 200_000);
});
