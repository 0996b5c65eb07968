/**
 * RE2 regular expressions as Envoy's `safe_regex` evaluates them: Google RE2 syntax (no backreferences, no
 * lookaround), linear-time matching, and **full match** — the whole input must match, as
 * `Regex::CompiledGoogleReMatcher::match` calls `re2::RE2::FullMatch` (envoyproxy/envoy
 * source/common/common/regex.cc). JavaScript's RegExp has different syntax and semantics and is never
 * used for routing. Compiled patterns are cached: route tables reuse a few patterns for many requests.
 */
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS | Error>();
const CACHE_LIMIT = 4096;

function compile(pattern: string): RE2JS | Error {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch (error) {
      re = error instanceof Error ? error : new Error(String(error));
    }
    // A bounded cache: patterns come from configuration, so this limit is only a guard against misuse.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/**
 * Whether `pattern` is valid RE2 syntax; returns the parser's message when it is not. Envoy rejects a
 * route configuration with an invalid regex (`Regex::Utility::parseRegex` throws), so the istiod
 * webhook refuses it first.
 */
export function re2SyntaxError(pattern: string): string | undefined {
  const re = compile(pattern);
  return re instanceof Error ? re.message : undefined;
}

/**
 * RE2 full match of `value` against `pattern`, as Envoy's `safe_regex` matchers do. An invalid pattern
 * matches nothing (Envoy would have refused the configuration; callers report that separately).
 */
export function re2FullMatch(pattern: string, value: string): boolean {
  const re = compile(pattern);
  return re instanceof Error ? false : re.matches(value);
}
