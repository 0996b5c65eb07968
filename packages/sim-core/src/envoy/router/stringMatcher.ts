/**
 * Envoy's string matcher (`envoy.type.matcher.v3.StringMatcher`, `Matchers::StringMatcherImpl` in
 * envoyproxy/envoy source/common/common/matchers.cc): exactly one of `exact`, `prefix`, `suffix`,
 * `contains` or `safeRegex`, with `ignoreCase` for all but the regex. Case folding is ASCII only, as
 * `absl::EqualsIgnoreCase` / `absl::StartsWithIgnoreCase` are.
 */
import type { StringMatcher } from './types.js';
import { re2FullMatch } from './regex.js';

/** ASCII lower-casing, as `absl::AsciiStrToLower` (non-ASCII characters are left alone). */
export function asciiLower(s: string): string {
  return ASCII_UPPER.test(s) ? s.replace(ASCII_UPPER_G, (c) => String.fromCharCode(c.charCodeAt(0) + 32)) : s;
}
const ASCII_UPPER = /[A-Z]/;
const ASCII_UPPER_G = /[A-Z]/g;

/** Whether `value` satisfies `matcher`. A matcher with no specifier set matches nothing. */
export function matchString(matcher: StringMatcher, value: string): boolean {
  if (matcher.safeRegex !== undefined) return re2FullMatch(matcher.safeRegex.regex, value);
  if (matcher.ignoreCase === true) {
    const v = asciiLower(value);
    if (matcher.exact !== undefined) return v === asciiLower(matcher.exact);
    if (matcher.prefix !== undefined) return v.startsWith(asciiLower(matcher.prefix));
    if (matcher.suffix !== undefined) return v.endsWith(asciiLower(matcher.suffix));
    if (matcher.contains !== undefined) return v.includes(asciiLower(matcher.contains));
    return false;
  }
  if (matcher.exact !== undefined) return value === matcher.exact;
  if (matcher.prefix !== undefined) return value.startsWith(matcher.prefix);
  if (matcher.suffix !== undefined) return value.endsWith(matcher.suffix);
  if (matcher.contains !== undefined) return value.includes(matcher.contains);
  return false;
}

/** The matcher as a short human-readable condition, e.g. `prefix "/api"` or `regex "v[0-9]+"`. */
export function describeStringMatcher(matcher: StringMatcher): string {
  const ic = matcher.ignoreCase === true ? ' (ignore case)' : '';
  if (matcher.safeRegex !== undefined) return `regex ${JSON.stringify(matcher.safeRegex.regex)}`;
  if (matcher.exact !== undefined) return `exact ${JSON.stringify(matcher.exact)}${ic}`;
  if (matcher.prefix !== undefined) return `prefix ${JSON.stringify(matcher.prefix)}${ic}`;
  if (matcher.suffix !== undefined) return `suffix ${JSON.stringify(matcher.suffix)}${ic}`;
  if (matcher.contains !== undefined) return `contains ${JSON.stringify(matcher.contains)}${ic}`;
  return 'nothing';
}
