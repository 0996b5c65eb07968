import { captureIO, runCli } from '@meshsim/scenarios';

const manifests = 'packages/scenarios/src/library/sidecar-basics/manifests';
// The way out: toolbox's sidecar (meshsim route --from).
const out = captureIO();
await runCli(['route', '-f', manifests, '--from', 'toolbox.sidecar', '--url', 'http://nginx/'], out);
console.log(out.stdout.trimEnd());
// The way in: nginx's sidecar, over the mutual TLS the client sidecar speaks (meshsim route --inbound).
const inbound = captureIO();
await runCli(
  ['route', '-f', manifests, '--to', 'nginx-deployment.sidecar', '--inbound', '--port', '80', '--tls', 'mtls'],
  inbound,
);
console.log(inbound.stdout.trimEnd());
