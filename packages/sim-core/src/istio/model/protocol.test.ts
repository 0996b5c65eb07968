import { describe, expect, it } from 'vitest';
import { convertKubeProtocol, parseProtocol } from './protocol.js';

// Cases of istio/istio@1.29.2 pkg/config/kube/conversion_test.go TestConvertProtocol, plus the documented
// well-known ports and the name-prefix rule (istio.io protocol-selection page).
describe('convertKubeProtocol()', () => {
  it.each([
    ['resolves empty', 0, undefined, 'TCP', undefined, 'UnsupportedProtocol'],
    ['resolves from protocol directly', 0, undefined, 'UDP', undefined, 'UDP'],
    ['resolves from port name', 0, 'http-something', 'TCP', undefined, 'HTTP'],
    ['prefers appProto over portName', 0, 'http-something', 'TCP', 'https', 'HTTPS'],
    ['resolves from appProto', 0, 'something-httpx', 'TCP', 'https', 'HTTPS'],
    ['resolves grpc-web', 0, 'grpc-web-x', 'TCP', undefined, 'GRPC-Web'],
    ['makes sure grpc-web is not resolved incorrectly', 0, 'grpcweb-x', 'TCP', undefined, 'UnsupportedProtocol'],
    ['resolves based on known ports', 3306, 'random-name', 'TCP', undefined, 'TCP'],
    ['standard app protocol', 3306, 'random-name', 'TCP', 'kubernetes.io/h2c', 'HTTP2'],
    ['websocket app protocol', 80, 'x', 'TCP', 'kubernetes.io/ws', 'HTTP'],
    ['name prefix is case-insensitive', 80, 'HTTP2-api', 'TCP', undefined, 'HTTP2'],
    ['the walkthroughs name ports http', 80, 'http', 'TCP', undefined, 'HTTP'],
    ['tcp prefix', 5432, 'tcp-db', 'TCP', undefined, 'TCP'],
    ['DNS port 53 without a name is TCP', 53, undefined, 'TCP', undefined, 'TCP'],
    ['an unknown prefix is sniffed', 8080, 'web', 'TCP', undefined, 'UnsupportedProtocol'],
  ] as const)('%s', (_, port, name, proto, appProto, want) => {
    expect(convertKubeProtocol(port, name, proto, appProto)).toBe(want);
  });

  it('parseProtocol() reads ServiceEntry/Gateway protocols case-insensitively; empty is sniffed', () => {
    expect(['HTTP', 'http', 'TLS', 'mongo', 'GRPC', ''].map(parseProtocol)).toEqual([
      'HTTP',
      'HTTP',
      'TLS',
      'Mongo',
      'GRPC',
      'UnsupportedProtocol',
    ]);
  });
});
