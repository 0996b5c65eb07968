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
  await runCli(args, io);
  return text;
}

// The HTTPS walkthrough: two servers on port 443 with two certificates; Service port 443 → target 8443.
const gw = ['istio-ingressgateway.istio-system', '-f', 'packages/sim-core/testdata/seeds/https-ingress'];
console.log(await meshsim('proxy-config', 'listener', ...gw));
console.log(await meshsim('proxy-config', 'route', ...gw));
