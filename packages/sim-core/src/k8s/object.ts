/**
 * The contract between manifest loading and everything built on it: a Kubernetes or Istio object as the
 * user wrote it (after `kubectl get -o yaml` noise such as status/managedFields is dropped — except the
 * status fields meshsim honours, like `status.podIP`), plus where it came from, so every later error and
 * finding can name file, line and field.
 */

/** A JSON path inside an object, e.g. `['spec', 'http', 0, 'route', 1, 'weight']`. */
export type FieldPath = readonly (string | number)[];

/** Where an object came from. */
export interface ObjectSource {
  /** The file as the user named it (relative paths kept relative), or `<stdin>` / a caller-given label. */
  readonly file: string;
  /** 1-based line of the document's first key (the object's own line). */
  readonly line: number;
  /** 0-based index of the YAML document in the file (items of a `kind: List` share their document's index). */
  readonly document: number;
  /**
   * 1-based line of the node at `path` inside this object, or of its nearest existing ancestor. Lets
   * validators and analyzers point at `spec.http[0].route[1].weight` rather than at the object.
   */
  lineOf(path: FieldPath): number;
}

/** `metadata`, as Kubernetes' ObjectMeta, restricted to what meshsim reads. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** RFC 3339; decides which of two conflicting VirtualServices wins, as in istiod. */
  readonly creationTimestamp?: string;
  readonly generateName?: string;
  readonly uid?: string;
  readonly ownerReferences?: readonly { readonly kind: string; readonly name: string; readonly apiVersion?: string }[];
}

/** A loaded object: the document's fields as plain frozen JSON, plus its source. */
export interface KubeObject<Spec = unknown> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: Spec;
  /** ConfigMap/Secret data. */
  readonly data?: Readonly<Record<string, string>>;
  /** Kept only for fields meshsim honours (e.g. Pod `status.podIP`, Service `status.loadBalancer`). */
  readonly status?: unknown;
  readonly source: ObjectSource;
}

/** `namespace/name`, or `name` for cluster-scoped objects — the form istioctl prints. */
export function objectRef(obj: Pick<KubeObject, 'metadata'>): string {
  const ns = obj.metadata.namespace;
  return ns === undefined || ns === '' ? obj.metadata.name : `${ns}/${obj.metadata.name}`;
}

/** Renders a field path as the Kubernetes API does in errors: `spec.http[0].route[1].weight`. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}
