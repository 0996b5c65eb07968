/**
 * istiod's most-specific host lookup (istio/istio@1.29.3 `pilot/pkg/model/config.go` `MostSpecificHostMatch`,
 * `pkg/config/host/names.go` `MoreSpecific`): an exact key wins; otherwise the longest wildcard key whose
 * suffix matches, ties broken alphabetically. Iteration order over the maps never affects the answer.
 */
import { isWildcarded } from '../model/host.js';

/** `host.MoreSpecific(a, b)`: non-wildcards first, then longer, then alphabetical. */
export function moreSpecific(a: string, b: string): boolean {
  const aw = isWildcarded(a);
  const bw = isWildcarded(b);
  if (aw && !bw) return false;
  if (!aw && bw) return true;
  if (a.length === b.length) return a < b;
  return a.length > b.length;
}

/** `MostSpecificHostMatch(needle, specific, wildcard)`. */
export function mostSpecificHostMatch<V>(
  needle: string,
  specific: ReadonlyMap<string, V>,
  wildcard: ReadonlyMap<string, V>,
): { readonly host: string; readonly value: V } | undefined {
  if (isWildcarded(needle)) {
    const exact = wildcard.get(needle);
    if (exact !== undefined) return { host: needle, value: exact };
    return wildcardMatch(needle.slice(1), wildcard);
  }
  const exact = specific.get(needle);
  if (exact !== undefined) return { host: needle, value: exact };
  return wildcardMatch(needle, wildcard);
}

function wildcardMatch<V>(
  needle: string,
  wildcard: ReadonlyMap<string, V>,
): { readonly host: string; readonly value: V } | undefined {
  let best: { host: string; value: V } | undefined;
  for (const [h, v] of wildcard) {
    if (!needle.endsWith(h.slice(1))) continue;
    if (best === undefined || moreSpecific(h, best.host)) best = { host: h, value: v };
  }
  return best;
}
