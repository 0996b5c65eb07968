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
