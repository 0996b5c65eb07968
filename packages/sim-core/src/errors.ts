/**
 * meshsim's error catalogue. Failures a real mesh produces (503, reset, timeout, ejection) are never
 * exceptions: they are values in the result. Exceptions are for bad input ({@link ConfigError}, thrown
 * before simulated time 0) and for bugs ({@link InvariantError}).
 */

/** Root of every error meshsim throws on purpose. `code` is stable and documented; messages say how to fix. */
export class MeshsimError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where in the user's input a problem sits, in the words of the Kubernetes/Istio field it concerns. */
export interface SourceLocation {
  /** File path as the user gave it (or a label such as `<stdin>` or `<inline>`). */
  readonly file?: string;
  /** 1-based line of the offending node, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
  /** Kubernetes kind, e.g. `VirtualService`. */
  readonly kind?: string;
  /** `namespace/name` or `name` of the object. */
  readonly object?: string;
  /** Field path in the API's own spelling, e.g. `spec.http[0].route[1].weight`. */
  readonly field?: string;
}

/** Renders a location the way compilers and kubectl do: `file:line:col: Kind ns/name: field`. */
export function formatLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) {
    let where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) where += `:${loc.column}`;
    parts.push(where);
  }
  if (loc.kind !== undefined || loc.object !== undefined) {
    parts.push([loc.kind, loc.object].filter((p) => p !== undefined).join(' '));
  }
  if (loc.field !== undefined) parts.push(loc.field);
  return parts.join(': ');
}

/** Bad input: a manifest, scenario or flag that meshsim refuses. Carries the location of the problem. */
export class ConfigError extends MeshsimError {
  readonly location: SourceLocation;
  /** The problem without the location prefix. */
  readonly detail: string;
  constructor(detail: string, location: SourceLocation = {}, code = 'config') {
    const where = formatLocation(location);
    super(code, where === '' ? detail : `${where}: ${detail}`);
    this.location = location;
    this.detail = detail;
  }
}

/** A broken internal assumption: a bug in meshsim, never the user's fault. */
export class InvariantError extends MeshsimError {
  constructor(message: string) {
    super('invariant', `internal error (a meshsim bug, please report it): ${message}`);
  }
}

/** Throws {@link InvariantError} unless `condition` holds. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
