/**
 * Application probe rewriting (`pkg/kube/inject/app_probe.go`): with `rewriteAppHTTPProbe` (on by default)
 * kubelet's httpGet/tcpSocket/grpc probes of app containers are pointed at the agent's status port
 * (`/app-health/<container>/readyz|livez|startupz`), because the sidecar would otherwise intercept or mTLS
 * them; the original probes go to the agent in `ISTIO_KUBE_APP_PROBERS`.
 */
import { asArray, asNumber, asRecord, asString } from '../../../k8s/json.js';

type Json = Record<string, unknown>;

const PROBES = [
  ['readinessProbe', 'readyz'],
  ['livenessProbe', 'livez'],
  ['startupProbe', 'startupz'],
] as const;

/** `ISTIO_KUBE_APP_PROBERS` for `containers` (named ports resolved), or `''` when there is nothing to rewrite. */
export function dumpAppProbers(containers: readonly Json[], statusPort: number): string {
  const out: Json = {};
  for (const c of containers) {
    const name = asString(c['name']);
    if (name === undefined || name === 'istio-proxy') continue;
    const ports = new Map<string, number>();
    for (const p of asArray(c['ports'])) {
      const r = asRecord(p);
      const pn = asString(r?.['name']);
      const cp = asNumber(r?.['containerPort']);
      if (pn !== undefined && cp !== undefined) ports.set(pn, cp);
    }
    for (const [field, suffix] of PROBES) {
      const prober = internalProber(asRecord(c[field]), ports, statusPort);
      if (prober !== undefined) out[`/app-health/${name}/${suffix}`] = prober;
    }
  }
  return Object.keys(out).length === 0 ? '' : JSON.stringify(out);
}

function internalProber(
  probe: Readonly<Json> | undefined,
  ports: Map<string, number>,
  statusPort: number,
): Json | undefined {
  if (probe === undefined) return undefined;
  const timeout = asNumber(probe['timeoutSeconds']);
  const key =
    probe['httpGet'] !== undefined
      ? 'httpGet'
      : probe['tcpSocket'] !== undefined
        ? 'tcpSocket'
        : probe['grpc'] !== undefined
          ? 'grpc'
          : undefined;
  if (key === undefined) return undefined;
  const action: Json = { ...(asRecord(probe[key]) ?? {}) };
  if (key !== 'grpc') {
    const port = action['port'];
    if (typeof port === 'string') {
      const resolved = ports.get(port);
      if (resolved === undefined) return undefined;
      action['port'] = resolved;
    } else if (port === statusPort) {
      return undefined; // already rewritten
    }
  }
  return { [key]: action, ...(timeout ? { timeoutSeconds: timeout } : {}) };
}

/** The container with its probes pointed at the agent (`convertProbe`). */
export function rewriteProbes(container: Readonly<Json>, statusPort: number): Json {
  const name = asString(container['name']) ?? '';
  const out: Json = { ...container };
  for (const [field, suffix] of PROBES) {
    const probe = asRecord(container[field]);
    if (probe === undefined) continue;
    const rewritten = rewriteProbe(probe, `/app-health/${name}/${suffix}`, statusPort);
    if (rewritten !== undefined) out[field] = rewritten;
  }
  return out;
}

function rewriteProbe(probe: Readonly<Json>, path: string, port: number): Json | undefined {
  const http = asRecord(probe['httpGet']);
  if (http !== undefined) {
    return { ...probe, httpGet: { ...http, path, port, ...(http['scheme'] === 'HTTPS' ? { scheme: 'HTTP' } : {}) } };
  }
  if (probe['tcpSocket'] !== undefined || probe['grpc'] !== undefined) {
    const rest: Json = { ...probe };
    delete rest['tcpSocket'];
    delete rest['grpc'];
    return { ...rest, httpGet: { path, port } };
  }
  return undefined;
}
