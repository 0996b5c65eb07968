/** Manifest loading: multi-document YAML/JSON, `kind: List`, kubectl dumps → frozen, located objects. */
export {
  issueToError,
  loadManifests,
  loadManifestsOrThrow,
  type LoadOptions,
  type LoadResult,
  type ManifestErrorCode,
  type ManifestInput,
} from './loadManifests.js';
export { knownKinds, lookupKind, splitApiVersion, type KindInfo, type KindSupport } from './kinds.js';
export { DROPPED_METADATA, KEPT_STATUS, LAST_APPLIED, stripKubectlDump } from './kubectlDump.js';
export { validateManifestObject } from './validateObject.js';
