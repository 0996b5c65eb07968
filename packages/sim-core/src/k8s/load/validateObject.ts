/**
 * Dispatches an object to the validators of its kind: Kubernetes' built-in validation for core kinds,
 * the Istio CRD schema plus Istio's validating webhook for Istio kinds.
 */
import { validateIstioObject } from '../../istio/validation/validateIstio.js';
import type { KubeObject } from '../object.js';
import type { ValidationIssue } from '../validation/issue.js';
import { validateKubeObject } from '../validation/validateKube.js';
import { lookupKind, splitApiVersion } from './kinds.js';

/** Every validation issue of `obj`, errors and warnings. Objects of kinds meshsim does not know yield none. */
export function validateManifestObject(obj: KubeObject): ValidationIssue[] {
  const info = lookupKind(obj.apiVersion, obj.kind);
  if (info === undefined || info.support === 'ignored') return [];
  const { group } = splitApiVersion(obj.apiVersion);
  return group.endsWith('istio.io') ? validateIstioObject(obj, group) : validateKubeObject(obj, group, info.namespaced);
}
