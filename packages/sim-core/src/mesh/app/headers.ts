/**
 * Header propagation: an application, not the mesh, must copy the request id, the trace context and any
 * routing header (`end-user`) from the request it serves onto the calls it makes — otherwise Envoy starts a
 * new trace and header-based routes stop matching one hop down (istio.io, "Distributed Tracing": "the
 * application needs to propagate the appropriate HTTP headers").
 */

/**
 * The headers of an outbound call: each of `names` (lower case) present on `incoming`, then the call's own
 * `extra` headers on top.
 */
export function propagateHeaders(
  incoming: Readonly<Record<string, string>>,
  names: readonly string[],
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = incoming[name];
    if (v !== undefined) out[name] = v;
  }
  for (const name in extra) out[name] = extra[name] as string;
  return out;
}

/**
 * {@link propagateHeaders} for one fixed list of names, compiled once per app replica: the same headers in
 * the same order, found by walking the request's few headers (six or so through a sidecar) instead of
 * looking up every listed name (21 by default, nearly all absent — a miss on an object is the slow case of
 * a property lookup, and this ran once per downstream call).
 */
export class HeaderPropagation {
  /** Position of each listed name (its first, as a repeated name is copied there). */
  private readonly position = new Map<string, number>();
  /** Positions of the listed headers found on a request, sorted; scratch space of {@link headersFor}. */
  private readonly found: Int32Array;
  /**
   * A listed name that is also a member of `Object.prototype` (`constructor`, `toString` …) is "present"
   * on every request through the prototype; the walk over the request's own headers would not see it.
   */
  private readonly inheritsName: boolean;

  constructor(readonly names: readonly string[]) {
    names.forEach((name, i) => {
      if (!this.position.has(name)) this.position.set(name, i);
    });
    this.found = new Int32Array(this.position.size);
    this.inheritsName = names.some((name) => name in Object.prototype);
  }

  /** `propagateHeaders(incoming, this.names, extra)`, key order included. */
  headersFor(
    incoming: Readonly<Record<string, string>>,
    extra: Readonly<Record<string, string>>,
  ): Record<string, string> {
    if (this.inheritsName) return propagateHeaders(incoming, this.names, extra);
    const found = this.found;
    let n = 0;
    for (const name in incoming) {
      const i = this.position.get(name);
      if (i === undefined || incoming[name] === undefined) continue;
      // Insertion sort: copy in the order of `names`, as propagateHeaders does.
      let j = n++;
      for (; j > 0 && (found[j - 1] as number) > i; j--) found[j] = found[j - 1] as number;
      found[j] = i;
    }
    const out: Record<string, string> = {};
    for (let j = 0; j < n; j++) {
      const name = this.names[found[j] as number] as string;
      out[name] = incoming[name] as string;
    }
    for (const name in extra) out[name] = extra[name] as string;
    return out;
  }
}
