/**
 * ServiceEntries valid by construction (`ValidateServiceEntry`): external hosts (`api.example.com`) with
 * HTTP or TLS ports, `MESH_EXTERNAL`, resolved by DNS or `NONE`; or `STATIC` with endpoints.
 */
import fc from 'fast-check';
import { manifestsYaml, printedAs, type Manifest } from '../counterexample/manifestYaml.js';
import { checkDnsLabel, checkNonEmpty, orDefault } from './_constraints.js';

/** Constraints of {@link serviceEntry}. */
export interface ServiceEntryConstraints {
  /** `spec.hosts`. @defaultValue one of `api.example.com`, `payments.example.org`, … */
  readonly hosts?: readonly string[];
  /** @defaultValue `'default'` */
  readonly namespace?: string;
  /** @defaultValue derived from the first host */
  readonly name?: string;
  /** Resolutions to draw from. @defaultValue `['DNS', 'NONE', 'STATIC']` */
  readonly resolutions?: readonly ('DNS' | 'NONE' | 'STATIC')[];
}

const HOSTS = ['api.example.com', 'payments.example.org', 'cdn.example.net'];

/** A ServiceEntry; printed as YAML in fast-check reports. */
export function serviceEntry(constraints: ServiceEntryConstraints = {}): fc.Arbitrary<Manifest> {
  const namespace = orDefault(constraints.namespace, 'default');
  checkDnsLabel('serviceEntry', 'namespace', namespace);
  const resolutions = constraints.resolutions ?? ['DNS', 'NONE', 'STATIC'];
  checkNonEmpty('serviceEntry', 'resolutions', resolutions);
  if (constraints.hosts !== undefined) checkNonEmpty('serviceEntry', 'hosts', constraints.hosts);
  const hosts =
    constraints.hosts !== undefined ? fc.constant([...constraints.hosts]) : fc.constantFrom(...HOSTS).map((h) => [h]);
  const port = fc.constantFrom(
    { number: 80, name: 'http', protocol: 'HTTP' },
    { number: 443, name: 'tls', protocol: 'TLS' },
    { number: 8080, name: 'http-alt', protocol: 'HTTP' },
  );
  return fc
    .record({
      hosts,
      ports: fc.uniqueArray(port, { minLength: 1, maxLength: 2, selector: (p) => p.number }),
      resolution: fc.constantFrom(...resolutions),
      address: fc.constantFrom('203.0.113.10', '198.51.100.7'),
    })
    .map(({ hosts: hs, ports, resolution, address }) => {
      const name = orDefault(constraints.name, (hs[0] as string).replace(/^\*\./, '').split('.').join('-'));
      return printedAs(
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'ServiceEntry',
          metadata: { name, namespace },
          spec: {
            hosts: hs,
            location: 'MESH_EXTERNAL',
            ports,
            resolution,
            ...(resolution === 'STATIC' ? { endpoints: [{ address }] } : {}),
          },
        },
        (m) => manifestsYaml([m]),
      );
    });
}
