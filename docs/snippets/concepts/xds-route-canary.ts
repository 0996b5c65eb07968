import { runCli, type CliIO } from '@meshsim/scenarios';

// `meshsim route` in-process, on the canary walkthrough's manifests.
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

const canary = ['-f', 'packages/sim-core/testdata/seeds/canary', '--from', 'toolbox.canary'];
console.log(await meshsim('route', ...canary, '--url', 'http://canary/', '-H', 'user: jesse'));
