/**
 * Turns loading errors into the data of `istioctl analyze`'s IST0106 SchemaValidationError (and IST0133
 * SchemaWarning) findings, so the analyzer can print
 * `Error [IST0106] (VirtualService default/reviews vs.yaml:12) Schema validation error: weight -10 < 0`.
 * Codes and levels: `pkg/config/analysis/msg/messages.yaml` in istio/istio.
 */
import type { ConfigError } from '../../errors.js';

/** One IST0106/IST0133 finding, ready to print. */
export interface SchemaValidationMessage {
  readonly code: 'IST0106' | 'IST0133';
  readonly level: 'Error' | 'Warning';
  /** `Schema validation error: <detail>` / `Schema validation warning: <detail>`, as istioctl words them. */
  readonly message: string;
  /** The problem alone. */
  readonly detail: string;
  readonly kind: string;
  /** `namespace/name`. */
  readonly object: string;
  readonly file?: string;
  readonly line?: number;
  /** Field path in the API's spelling, e.g. `spec.http[0].route[1].weight`. */
  readonly field?: string;
}

/**
 * IST0106 for each error and IST0133 for each warning that belongs to an object (errors without an object —
 * YAML syntax, unknown kinds — are not Istio findings: `istioctl analyze` fails to read such files). Kinds
 * ignored by meshsim (code `manifest/ignored`) are skipped.
 */
export function schemaValidationMessages(
  errors: readonly ConfigError[],
  warnings: readonly ConfigError[] = [],
): SchemaValidationMessage[] {
  const out: SchemaValidationMessage[] = [];
  const add = (e: ConfigError, level: 'Error' | 'Warning'): void => {
    const { kind, object, file, line, field } = e.location;
    if (kind === undefined || object === undefined || e.code === 'manifest/ignored' || e.code === 'manifest/duplicate')
      return;
    out.push({
      code: level === 'Error' ? 'IST0106' : 'IST0133',
      level,
      message: `Schema validation ${level === 'Error' ? 'error' : 'warning'}: ${field !== undefined ? `${field}: ` : ''}${e.detail}`,
      detail: e.detail,
      kind,
      object,
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(field !== undefined ? { field } : {}),
    });
  };
  for (const e of errors) add(e, 'Error');
  for (const w of warnings) add(w, 'Warning');
  return out;
}
