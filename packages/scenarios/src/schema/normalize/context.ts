/**
 * The state shared by the normalizers: where issues go, and how inline manifests are read. Normalizers
 * take a document that already passed the JSON Schema, so they only check what the schema cannot say.
 */
import { parseDuration, type Duration, type FieldPath } from '@meshsim/sim-core';
import { Issues, type ScenarioErrorCode } from '../issue.js';

/** A JSON object from the document. */
export type RawObject = Readonly<Record<string, unknown>>;

/** Reads an inline manifest at `path` (the loader re-reads its source text with Kubernetes' YAML rules). */
export type InlineReader = (path: FieldPath, raw: RawObject) => RawObject;

/** Normalization context. */
export class Context {
  readonly issues = new Issues();
  constructor(readonly readInline: InlineReader = (_path, raw) => raw) {}

  fail(path: FieldPath, message: string, code: ScenarioErrorCode = 'scenario/semantic', at?: 'key' | 'value'): void {
    this.issues.add(path, message, code, at);
  }

  /** A duration string in µs (the schema checked its syntax; this catches overflow). */
  duration(path: FieldPath, text: unknown): Duration {
    try {
      return parseDuration(String(text));
    } catch (e) {
      this.fail(path, (e as Error).message);
      return 0;
    }
  }

  /** A positive duration: as {@link duration}, and zero is refused with `why`. */
  positiveDuration(path: FieldPath, text: unknown, why: string): Duration {
    const d = this.duration(path, text);
    if (d === 0) this.fail(path, `must be longer than 0 (${why})`);
    return d;
  }
}

/** The field `key` of `o` as an object (the schema guarantees the type when present). */
export function obj(o: RawObject, key: string): RawObject | undefined {
  const v = o[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as RawObject) : undefined;
}

/** The field `key` of `o` as a list. */
export function arr(o: RawObject, key: string): readonly unknown[] | undefined {
  const v = o[key];
  return Array.isArray(v) ? v : undefined;
}

export function str(o: RawObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: RawObject, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}

export function bool(o: RawObject, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** `{ [key]: value }` when value is defined, `{}` otherwise — for optional fields of frozen objects. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
