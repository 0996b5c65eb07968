/**
 * Envoy's route header matching (`Http::HeaderUtility::matchHeaders`, `HeaderDataBaseImpl` and
 * `HeaderDataPresentMatch` in envoyproxy/envoy source/common/http/header_utility.{h,cc}):
 * - all values of a repeated header are joined with `,` (no space) before matching
 *   (`getAllOfHeaderAsString`);
 * - an absent header fails every value matcher — inverted or not — unless `treat_missing_header_as_empty`
 *   makes it `""`; a presence matcher compares presence with `present_match`, then `invert_match` flips it;
 * - `exact_match: ""` (legacy) matches any value; `range_match` parses a signed decimal int64
 *   (`absl::SimpleAtoi`) and tests `start ≤ v < end`; regexes are RE2 full matches.
 */
import type { HeaderMap } from '../common.js';
import type { HeaderMatcher, Int64Range } from './types.js';
import { asciiLower, describeStringMatcher, matchString } from './stringMatcher.js';
import { re2FullMatch } from './regex.js';

/**
 * All values of header `name` joined with `,`, as Envoy's `getAllOfHeaderAsString`; undefined when
 * absent. Names are compared lower-cased (Envoy's `LowerCaseString`).
 */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name] ?? headers[asciiLower(name)];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  return v.length === 0 ? undefined : v.join(',');
}

// absl::SimpleAtoi for int64: optional ASCII whitespace around, optional sign, decimal digits.
function simpleAtoi(value: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)[ \t\n\v\f\r]*$/.exec(value);
  if (m === null) return undefined;
  const n = BigInt(m[1] as string);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) return undefined;
  return n;
}

// A proto int64 field (number, or decimal string in proto3 JSON); undefined when malformed.
function int64(v: number | string | undefined): bigint | undefined {
  if (v === undefined) return 0n;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined;
  return /^[+-]?\d+$/.test(v) ? BigInt(v) : undefined;
}

function inRange(value: string, range: Int64Range): boolean {
  const n = simpleAtoi(value);
  const start = int64(range.start);
  const end = int64(range.end);
  return n !== undefined && start !== undefined && end !== undefined && n >= start && n < end;
}

function isPresenceMatcher(m: HeaderMatcher): boolean {
  return (
    m.exactMatch === undefined &&
    m.safeRegexMatch === undefined &&
    m.rangeMatch === undefined &&
    m.prefixMatch === undefined &&
    m.suffixMatch === undefined &&
    m.containsMatch === undefined &&
    m.stringMatch === undefined
  );
}

function matchValue(m: HeaderMatcher, value: string): boolean {
  if (m.exactMatch !== undefined) return m.exactMatch === '' || value === m.exactMatch;
  if (m.safeRegexMatch !== undefined) return re2FullMatch(m.safeRegexMatch.regex, value);
  if (m.rangeMatch !== undefined) return inRange(value, m.rangeMatch);
  if (m.prefixMatch !== undefined) return value.startsWith(m.prefixMatch);
  if (m.suffixMatch !== undefined) return value.endsWith(m.suffixMatch);
  if (m.containsMatch !== undefined) return value.includes(m.containsMatch);
  if (m.stringMatch !== undefined) return matchString(m.stringMatch, value);
  return true;
}

/** Whether the request headers satisfy one header matcher. */
export function matchHeader(matcher: HeaderMatcher, headers: HeaderMap): boolean {
  const invert = matcher.invertMatch === true;
  const value = headerValue(headers, matcher.name);
  if (isPresenceMatcher(matcher)) {
    // No specifier at all means "present" (HEADER_MATCH_SPECIFIER_NOT_SET → present_ = true).
    const present = matcher.presentMatch ?? true;
    return ((value !== undefined) === present) !== invert;
  }
  if (value === undefined) {
    if (matcher.treatMissingHeaderAsEmpty !== true) return false;
    return matchValue(matcher, '') !== invert;
  }
  return matchValue(matcher, value) !== invert;
}

/** Whether every matcher matches (an empty list matches), as `HeaderUtility::matchHeaders`. */
export function matchHeaders(matchers: readonly HeaderMatcher[] | undefined, headers: HeaderMap): boolean {
  if (matchers === undefined) return true;
  for (const m of matchers) if (!matchHeader(m, headers)) return false;
  return true;
}

/** A header matcher as a short condition, e.g. `header end-user exact "jason"` or `header x-debug absent`. */
export function describeHeaderMatcher(m: HeaderMatcher): string {
  const name = m.name.startsWith(':') ? m.name : `header ${m.name}`;
  const not = m.invertMatch === true ? 'not ' : '';
  if (isPresenceMatcher(m)) {
    const present = (m.presentMatch ?? true) !== (m.invertMatch === true);
    return `${name} ${present ? 'present' : 'absent'}`;
  }
  let cond: string;
  if (m.exactMatch !== undefined) cond = m.exactMatch === '' ? 'any value' : `exact ${JSON.stringify(m.exactMatch)}`;
  else if (m.safeRegexMatch !== undefined) cond = `regex ${JSON.stringify(m.safeRegexMatch.regex)}`;
  else if (m.rangeMatch !== undefined)
    cond = `in [${String(m.rangeMatch.start ?? 0)}, ${String(m.rangeMatch.end ?? 0)})`;
  else if (m.prefixMatch !== undefined) cond = `prefix ${JSON.stringify(m.prefixMatch)}`;
  else if (m.suffixMatch !== undefined) cond = `suffix ${JSON.stringify(m.suffixMatch)}`;
  else if (m.containsMatch !== undefined) cond = `contains ${JSON.stringify(m.containsMatch)}`;
  else cond = describeStringMatcher(m.stringMatch ?? {});
  return `${name} ${not}${cond}`;
}
