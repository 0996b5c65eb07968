import { captureIO, runCli } from '@meshsim/scenarios';

// How the ingress gateway routes /simple/hello: listener, virtual host, route, rewrite, cluster.
const io = captureIO();
await runCli(
  [
    'route',
    '-f',
    'packages/scenarios/src/library/ingress-gateway/manifests',
    '--gateway',
    'istio-ingressgateway.istio-system',
    '--url',
    'http://simple.zhongmingmao.io/simple/hello',
  ],
  io,
);
console.log(io.stdout.trimEnd());
