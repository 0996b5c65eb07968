/** Host-name relations of Istio's `pkg/config/host/name.go`, used by validation of hosts and SNI names. */

/** `Name.IsWildCarded`. */
export const isWildcarded = (h: string): boolean => h.startsWith('*');

/** `Name.Matches`: the two names overlap (equal, or one covers the other by wildcard). */
export function hostMatches(n: string, o: string): boolean {
  if (isWildcarded(n)) {
    if (isWildcarded(o)) return n.length < o.length ? o.slice(1).endsWith(n.slice(1)) : n.slice(1).endsWith(o.slice(1));
    return o.endsWith(n.slice(1));
  }
  if (isWildcarded(o)) return n.endsWith(o.slice(1));
  return n === o;
}

/** `Name.SubsetOf`: every name matched by `n` is matched by `o`. */
export function hostSubsetOf(n: string, o: string): boolean {
  if (isWildcarded(n)) {
    if (!isWildcarded(o)) return false;
    return n.length < o.length ? false : n.slice(1).endsWith(o.slice(1));
  }
  if (isWildcarded(o)) return n.endsWith(o.slice(1));
  return n === o;
}
