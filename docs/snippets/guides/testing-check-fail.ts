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

// Two wrong expectations. Each failure ends with `meshsim route`'s full trace, left out here.
const out = await meshsim('check', 'packages/scenarios/src/check/testdata/failing.rules.yaml', '--only-failures');
console.log(out.replace(/ {6}route trace:\n( {8}.*\n)+/g, ''));
