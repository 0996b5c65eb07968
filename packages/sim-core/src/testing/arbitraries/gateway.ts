/**
 * Gateways valid by construction (`ValidateGateway`): one plain-HTTP server on port 80 with named port,
 * protocol and hosts, selecting the ingress gateway's pods.
 */
import fc from 'fast-check';
import { manifestsYaml, printedAs, type Manifest } from '../counterexample/manifestYaml.js';
import { checkDnsLabel, checkNonEmpty, orDefault } from './_constraints.js';

/** Constraints of {@link gateway}. */
export interface GatewayConstraints {
  /** Hosts the servers accept. @defaultValue one of `shop.example.com`, `*.example.com`, `*` */
  readonly hosts?: readonly string[];
  /** @defaultValue `'istio-system'` */
  readonly namespace?: string;
  /** @defaultValue `'ingress'` */
  readonly name?: string;
  /** The gateway workload's labels. @defaultValue `{ istio: 'ingressgateway' }` */
  readonly selector?: Readonly<Record<string, string>>;
}

/**
 * A Gateway with one plain-HTTP server on port 80 (`ValidateGateway`: named port, protocol, hosts as
 * `[namespace/]host`); printed as YAML in fast-check reports.
 */
export function gateway(constraints: GatewayConstraints = {}): fc.Arbitrary<Manifest> {
  const namespace = orDefault(constraints.namespace, 'istio-system');
  checkDnsLabel('gateway', 'namespace', namespace);
  const name = orDefault(constraints.name, 'ingress');
  checkDnsLabel('gateway', 'name', name);
  if (constraints.hosts !== undefined) checkNonEmpty('gateway', 'hosts', constraints.hosts);
  const hosts =
    constraints.hosts !== undefined
      ? fc.constant([...constraints.hosts])
      : fc.constantFrom('shop.example.com', '*.example.com', '*').map((h) => [h]);
  const selector = constraints.selector ?? { istio: 'ingressgateway' };
  return hosts.map((hs) =>
    printedAs(
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name, namespace },
        spec: {
          selector: { ...selector },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: hs }],
        },
      },
      (m) => manifestsYaml([m]),
    ),
  );
}
