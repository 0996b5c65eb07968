import { runCli, type CliIO } from '@meshsim/scenarios';

// `meshsim check` in-process (the same as running it in a shell).
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

console.log(await meshsim('check', 'packages/scenarios/src/check/testdata/canary.rules.yaml'));
