import { runCli, type CliIO } from '@meshsim/scenarios';

// `meshsim proxy-config` in-process, on the canary walkthrough's manifests.
async function meshsim(...args: string[]): Promise<string> {
  let text = '';
  const io: CliIO = {
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    isTTY: false,
    cwd: process.cwd(),
    readStdin: async () => '',
  };
  await runCli(args, io);
  return text;
}

const pod = ['toolbox.canary', '-f', 'packages/sim-core/testdata/seeds/canary'];
console.log(await meshsim('proxy-config', 'listener', ...pod, '--port', '80'));
console.log(await meshsim('proxy-config', 'listener', ...pod, '--port', '15001'));
console.log(await meshsim('proxy-config', 'route', ...pod, '--name', '80'));
console.log(await meshsim('proxy-config', 'cluster', ...pod, '--fqdn', 'canary.canary'));
console.log(await meshsim('proxy-config', 'endpoint', ...pod, '--port', '80'));
