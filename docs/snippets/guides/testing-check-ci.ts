import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIO } from '@meshsim/scenarios';

async function meshsim(...args: string[]): Promise<string> {
  let text = '';
  const io: CliIO = {
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    isTTY: false,
    cwd: process.cwd(),
    readStdin: async () => '',
  };
  const code = await runCli(args, io);
  return `${text}(exit ${code})`;
}

// Tests that exercise only the tester's route: half of the VirtualService's rules.
const junit = join(mkdtempSync(join(tmpdir(), 'meshsim-')), 'rules.xml');
const rules = 'packages/scenarios/src/check/testdata/tester-only.rules.yaml';
console.log(await meshsim('check', rules, '--fail-under', '80', '--junit', junit));
console.log(readFileSync(junit, 'utf8').split('\n').slice(0, 3).join('\n'));
