/**
 * What a validator reports: a problem at a field path, in the words of the API that rejects it. The loader
 * turns issues into located {@link ConfigError}s (file, line of the field, kind, namespace/name, path).
 */
import type { FieldPath } from '../object.js';

/** `error` rejects the object (the apiserver or Istio's webhook would); `warning` is Istio's validation warning. */
export type IssueLevel = 'error' | 'warning';

/** Which check found the problem — the stage of `kubectl apply` that would refuse the object. */
export type IssueOrigin =
  | 'schema' // the CRD's / built-in type's OpenAPI schema (apiserver structural + strict decoding)
  | 'cel' // a CRD `x-kubernetes-validations` rule
  | 'webhook' // Istio's validating webhook (pkg/config/validation)
  | 'apiserver'; // Kubernetes' built-in validation (metadata names, labels, ports)

/** One validation finding. */
export interface ValidationIssue {
  readonly level: IssueLevel;
  readonly origin: IssueOrigin;
  /** Path of the offending field, e.g. `['spec', 'http', 0, 'route', 1, 'weight']`. */
  readonly path: FieldPath;
  /** The problem, using Istio's/Kubernetes' own wording where they have one. */
  readonly message: string;
}

/** Collects issues while walking an object. */
export class IssueList {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly origin: IssueOrigin) {}
  error(path: FieldPath, message: string): void {
    this.issues.push({ level: 'error', origin: this.origin, path, message });
  }
  warning(path: FieldPath, message: string): void {
    this.issues.push({ level: 'warning', origin: this.origin, path, message });
  }
}
