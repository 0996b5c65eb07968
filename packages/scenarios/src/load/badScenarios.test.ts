/**
 * The table of bad scenarios: every file in testdata/bad/ must be refused with exactly one clear error —
 * one line, `file:line:column: field.path: message` — the one its first line announces
 * (`# expect: <message>`, or `# expect-prefix: <start>` where the rest is another component's wording).
 * `{PODS_<namespace>}` (or `{PODS_<namespace>/<workload>}`) stands for the pods the k8s model creates there (their names are that model's
 * deterministic hashes, not this test's to fix).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { checkScenario, loadScenario } from './loadScenario.js';
import { clusterView } from './modelChecks.js';

const DIR = join(import.meta.dirname, 'testdata', 'bad');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

// The pods of `namespace` (and of one workload, when given) in the cluster of the shared manifests.
async function pods(namespace: string, workload?: string): Promise<string> {
  const good = await loadScenario('canary/scenario.yaml', { cwd: join(import.meta.dirname, 'testdata', 'good') });
  return clusterView(good.objects)
    .instances.filter(
      (i) => i.kind === 'Pod' && i.namespace === namespace && (workload === undefined || i.workload === workload),
    )
    .map((i) => i.name)
    .join(', ');
}

describe('bad scenarios', () => {
  it('the table has at least 30 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s is refused with its one announced error', async (file) => {
    const first = readFileSync(join(DIR, file), 'utf8').split('\n')[0] ?? '';
    const m = /^# expect(-prefix)?: (.*)$/.exec(first);
    expect(m, `${file} must start with "# expect: …"`).not.toBeNull();
    let expected = m?.[2] ?? '';
    for (const placeholder of expected.match(/\{PODS_[a-z0-9-]+(\/[a-z0-9-]+)?\}/g) ?? []) {
      const [namespace, workload] = placeholder.slice(6, -1).split('/') as [string, string | undefined];
      expected = expected.replace(placeholder, await pods(namespace, workload));
    }

    const { errors, scenario } = await checkScenario(file, { cwd: DIR });
    expect(scenario).toBeUndefined();
    expect(errors.map((e) => e.message)).toHaveLength(1);
    const error = errors[0] as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain('\n');
    if (m?.[1] === undefined) expect(error.message).toBe(expected);
    else expect(error.message.startsWith(expected), `${error.message}\n  should start with\n${expected}`).toBe(true);

    await expect(loadScenario(file, { cwd: DIR })).rejects.toThrow(error.message);
  });
});
