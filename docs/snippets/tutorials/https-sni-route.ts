import { captureIO, runCli } from '@meshsim/scenarios';

// The gateway's filter chain for each server name: SNI picks the certificate.
for (const host of ['httpsserver.zhongmingmao.io', 'api.zhongmingmao.io']) {
  const io = captureIO();
  await runCli(
    [
      'route',
      '-f',
      'packages/scenarios/src/library/https-sni/manifests',
      '--gateway',
      'istio-ingressgateway.istio-system',
      '--url',
      `https://${host}/`,
    ],
    io,
  );
  console.log(
    io.stdout
      .split('\n')
      .filter((l) => /chain|TLS|server names|vhost|cluster/.test(l))
      .join('\n'),
  );
}
