/**
 * Whole meshes: namespaces labelled for sidecar injection, Services, one Deployment per version of each
 * Service (pods labelled `app` and `version`, as Istio's examples are), a client Deployment (`sleep`),
 * and — optionally — a DestinationRule with one subset per version and a VirtualService per Service.
 * The result is plain manifests (`objects`) plus an index of what is in them, printed as YAML by fast-check.
 */
import fc from 'fast-check';
import { manifestsYaml, printedAs, type Manifest } from '../counterexample/manifestYaml.js';
import { checkInteger, checkOrdered, orDefault } from './_constraints.js';
import { destinationRule } from './destinationRule.js';
import { dnsLabel, namespaceName } from './names.js';
import { virtualService, type VirtualServiceConstraints } from './virtualService.js';

/** A Service of a generated mesh. */
export interface GeneratedService {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  /** Versions deployed (`version` label values), also the DestinationRule's subset names. */
  readonly versions: readonly string[];
  /** `name.namespace.svc.cluster.local`. */
  readonly host: string;
}

/** A generated mesh: manifests and an index of them. */
export interface GeneratedMesh {
  readonly objects: readonly Manifest[];
  readonly namespaces: readonly string[];
  readonly services: readonly GeneratedService[];
  /** Client pods (`sleep.<namespace>`), for `from` in requests. */
  readonly clients: readonly string[];
}

/** Constraints of {@link mesh}. */
export interface MeshConstraints {
  /** @defaultValue 1 */
  readonly minNamespaces?: number;
  /** @defaultValue 2 */
  readonly maxNamespaces?: number;
  /** Services per namespace. @defaultValue 1 */
  readonly minServices?: number;
  /** @defaultValue 2 */
  readonly maxServices?: number;
  /** Versions per Service. @defaultValue 1 */
  readonly minVersions?: number;
  /** @defaultValue 2 */
  readonly maxVersions?: number;
  /** Names the namespaces may not take (e.g. the ones of a mesh this one is added to). @defaultValue [] */
  readonly excludeNamespaces?: readonly string[];
  /** Add a DestinationRule with a subset per version for every Service. @defaultValue true */
  readonly destinationRules?: boolean;
  /** Add a VirtualService per Service (see {@link virtualService}). @defaultValue false */
  readonly virtualServices?: boolean | Omit<VirtualServiceConstraints, 'host' | 'subsets' | 'namespace' | 'name'>;
  /** Add a `sleep` client Deployment to the first namespace (or to every one with `'every'`). @defaultValue `'first'` */
  readonly clients?: 'first' | 'every' | 'none';
}

const RESERVED = ['default', 'istio-system', 'kube-system', 'kube-public', 'kube-node-lease'];

function namespaceObject(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'istio-injection': 'enabled' } } };
}

function serviceObject(s: GeneratedService): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: { app: s.name } },
    spec: { selector: { app: s.name }, ports: [{ name: 'http', port: s.port, targetPort: 8080 }] },
  };
}

function deploymentObject(name: string, namespace: string, labels: Record<string, string>, port?: number): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [
            {
              name: labels['app'] ?? name,
              image: `example/${labels['app'] ?? name}:latest`,
              ...(port !== undefined ? { ports: [{ containerPort: port }] } : {}),
            },
          ],
        },
      },
    },
  };
}

/** A mesh as manifests, valid by construction. */
export function mesh(constraints: MeshConstraints = {}): fc.Arbitrary<GeneratedMesh> {
  const minNs = orDefault(constraints.minNamespaces, 1);
  const maxNs = orDefault(constraints.maxNamespaces, 2);
  checkInteger('mesh', 'minNamespaces', minNs, 1, 20);
  checkInteger('mesh', 'maxNamespaces', maxNs, 1, 20);
  checkOrdered('mesh', 'minNamespaces', minNs, 'maxNamespaces', maxNs);
  const minSvc = orDefault(constraints.minServices, 1);
  const maxSvc = orDefault(constraints.maxServices, 2);
  checkInteger('mesh', 'minServices', minSvc, 1, 20);
  checkInteger('mesh', 'maxServices', maxSvc, 1, 20);
  checkOrdered('mesh', 'minServices', minSvc, 'maxServices', maxSvc);
  const minVer = orDefault(constraints.minVersions, 1);
  const maxVer = orDefault(constraints.maxVersions, 2);
  checkInteger('mesh', 'minVersions', minVer, 1, 9);
  checkInteger('mesh', 'maxVersions', maxVer, 1, 9);
  checkOrdered('mesh', 'minVersions', minVer, 'maxVersions', maxVer);
  const exclude = new Set([...RESERVED, ...(constraints.excludeNamespaces ?? [])]);
  const withDr = orDefault(constraints.destinationRules, true);
  const vsOption = orDefault(constraints.virtualServices, false);
  const clients = orDefault(constraints.clients, 'first');

  const namespaces = fc.uniqueArray(
    namespaceName().filter((n) => !exclude.has(n)),
    { minLength: minNs, maxLength: maxNs },
  );
  const servicesOf = (ns: string): fc.Arbitrary<GeneratedService[]> =>
    fc
      .uniqueArray(
        fc.tuple(
          dnsLabel().filter((n) => n !== 'sleep'),
          fc.integer({ min: minVer, max: maxVer }),
          fc.constantFrom(80, 8080, 9080),
        ),
        { minLength: minSvc, maxLength: maxSvc, selector: ([n]) => n },
      )
      .map((list) =>
        list.map(([name, versions, port]) => ({
          name,
          namespace: ns,
          port,
          versions: Array.from({ length: versions }, (_, i) => `v${i + 1}`),
          host: `${name}.${ns}.svc.cluster.local`,
        })),
      );
  return namespaces
    .chain((nss) => fc.tuple(fc.constant(nss), fc.tuple(...nss.map(servicesOf))))
    .chain(([nss, perNs]) => {
      const services = perNs.flat();
      const extras: fc.Arbitrary<Manifest>[] = [];
      for (const s of services) {
        if (withDr) extras.push(destinationRule({ host: s.name, namespace: s.namespace, subsets: s.versions }));
        if (vsOption !== false) {
          extras.push(
            virtualService({
              ...(typeof vsOption === 'object' ? vsOption : {}),
              host: s.name,
              namespace: s.namespace,
              subsets: withDr ? s.versions : [],
            }),
          );
        }
      }
      return fc.tuple(
        fc.constant(nss),
        fc.constant(services),
        extras.length > 0 ? fc.tuple(...extras) : fc.constant([]),
      );
    })
    .map(([nss, services, istio]) => {
      const objects: Manifest[] = [];
      for (const ns of nss) objects.push(namespaceObject(ns));
      for (const s of services) {
        objects.push(serviceObject(s));
        for (const v of s.versions)
          objects.push(deploymentObject(`${s.name}-${v}`, s.namespace, { app: s.name, version: v }, 8080));
      }
      const clientNs = clients === 'none' ? [] : clients === 'every' ? nss : nss.slice(0, 1);
      for (const ns of clientNs) objects.push(deploymentObject('sleep', ns, { app: 'sleep' }));
      objects.push(...istio);
      return printedAs({ objects, namespaces: nss, services, clients: clientNs.map((ns) => `sleep.${ns}`) }, (m) =>
        manifestsYaml(m.objects),
      );
    });
}
