/**
 * What `expect(mesh)` may be: a mesh model, the manifests of a generated mesh, loaded objects, or manifest
 * texts (`{ file, text }`). Models are built once per value (values are frozen or treated as such).
 */
import { buildMeshModel, loadMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import type { ManifestInput } from '../../k8s/load/loadManifests.js';
import { loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import type { KubeObject } from '../../k8s/object.js';
import { manifestsYaml, type Manifest } from '../counterexample/manifestYaml.js';

/** Anything `toRoute` accepts as the mesh. */
export type MeshLike =
  MeshModel | { readonly objects: readonly Manifest[] } | readonly KubeObject[] | readonly ManifestInput[];

const cache = new WeakMap<object, MeshModel>();

const isModel = (x: unknown): x is MeshModel =>
  typeof x === 'object' && x !== null && 'registry' in x && 'proxies' in x && 'istio' in x;

/** The mesh model behind `mesh`. Throws `ConfigError` for invalid manifests, `TypeError` for anything else. */
export function meshModelOf(mesh: MeshLike | unknown): MeshModel {
  if (isModel(mesh)) return mesh;
  if (typeof mesh !== 'object' || mesh === null)
    throw new TypeError('expected a mesh model, manifests or manifest texts');
  const hit = cache.get(mesh);
  if (hit !== undefined) return hit;
  let model: MeshModel;
  if (Array.isArray(mesh)) {
    if (mesh.every((x) => typeof x === 'object' && x !== null && 'text' in x && 'file' in x))
      model = loadMeshModel(mesh as ManifestInput[]);
    else if (mesh.every((x) => typeof x === 'object' && x !== null && 'source' in x))
      model = buildMeshModel(mesh as KubeObject[]);
    else
      model = buildMeshModel(loadManifestsOrThrow([{ file: '<manifests>', text: manifestsYaml(mesh as Manifest[]) }]));
  } else if ('objects' in mesh && Array.isArray((mesh as { objects: unknown }).objects)) {
    model = buildMeshModel(
      loadManifestsOrThrow([{ file: '<generated>', text: manifestsYaml((mesh as { objects: Manifest[] }).objects) }]),
    );
  } else {
    throw new TypeError('expected a mesh model, manifests or manifest texts');
  }
  cache.set(mesh, model);
  return model;
}
