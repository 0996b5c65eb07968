/**
 * Field tables of Kubernetes built-in types, generated from Kubernetes' OpenAPI spec (see `generate.mjs`).
 * A type expression is `string`, `number`, `boolean`, `int-or-string`, `quantity` (string or number),
 * `any`, `[]<type>` (list), `map[<type>]` (string-keyed map), or the name of a type in `types`.
 */
export interface KubeType {
  readonly fields: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  /** Free-form content (e.g. `RawExtension`, `FieldsV1`). */
  readonly open?: boolean;
}

/** Root type of each kind (`group/Kind`, core group empty) and every type reachable from them. */
export interface KubeSchemaSet {
  readonly kinds: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, KubeType>>;
}
