/**
 * A failing property, as a user reproduces it: the objects to `kubectl apply -f` (YAML), the request that
 * fails, what went wrong (naming the VirtualService rule file:line), and the `meshsim route` command that
 * replays it. `formatCounterexample` renders it as one YAML file whose comments carry the request, so the
 * file both applies and explains itself.
 */
import type { RouteCall } from '../../explain/call.js';
import { manifestsYaml, type Manifest } from './manifestYaml.js';

/** A property's counterexample. */
export interface Counterexample {
  /** The property's name. */
  readonly property: string;
  /** What went wrong, one or more lines. */
  readonly message: string;
  /** The objects that reproduce it (minimized when the property allows). */
  readonly objects: readonly Manifest[];
  /** The request that shows it, when it is about a request. */
  readonly request?: RouteCall;
  /** `meshsim route` output for the request on the minimized objects. */
  readonly trace?: string;
  /** fast-check's seed and path, to replay the run. */
  readonly seed?: number;
  readonly path?: string;
  /** Runs until the failure (before shrinking). */
  readonly numRuns?: number;
}

const quote = (s: string): string => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `meshsim route` command that replays `request` against `file`. */
export function routeCommand(request: RouteCall, file: string): string {
  const parts = ['meshsim', 'route', '-f', quote(file)];
  if (request.from !== undefined) parts.push('--from', quote(request.from));
  if (request.gateway !== undefined) parts.push('--gateway', quote(request.gateway));
  if (request.to !== undefined) parts.push('--to', quote(request.to), '--inbound');
  if (request.url !== undefined) parts.push('--url', quote(request.url));
  if (request.method !== undefined && request.method !== 'GET') parts.push('-X', request.method);
  for (const line of headerLines(request)) parts.push('-H', quote(line));
  return parts.join(' ');
}

/** A call's headers as the `K: V` lines it was given (a map's entries in its own order). */
export function headerLines(call: RouteCall): readonly string[] {
  const h = call.headers;
  if (h === undefined) return [];
  return Array.isArray(h) ? (h as readonly string[]) : Object.entries(h).map(([k, v]) => `${k}: ${v}`);
}

/** A file name for the counterexample: `<property-slug>-<hash>.yaml`, stable for the same content. */
export function counterexampleFileName(cx: Counterexample): string {
  const slug = cx.property
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  let h = 0x811c9dc5;
  const text = `${cx.message}\n${manifestsYaml(cx.objects)}\n${JSON.stringify(cx.request ?? null)}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${slug}-${h.toString(16).padStart(8, '0')}.yaml`;
}

/**
 * The counterexample as a YAML file: a comment block (property, what failed, the request and the command
 * replaying it), then the objects. `kubectl apply -f` ignores the comments.
 */
export function formatCounterexample(cx: Counterexample, file = counterexampleFileName(cx)): string {
  const c = (text: string): string =>
    text
      .split('\n')
      .map((l) => (l === '' ? '#' : `# ${l}`))
      .join('\n');
  const lines = [`# meshsim counterexample — property: ${cx.property}`, c(cx.message)];
  if (cx.request !== undefined) {
    lines.push(
      '#',
      '# request:',
      c(`  ${JSON.stringify(cx.request)}`),
      '# replay:',
      c(`  ${routeCommand(cx.request, file)}`),
    );
  }
  if (cx.trace !== undefined) lines.push('#', '# route trace:', c(cx.trace.replace(/\n$/, '')));
  if (cx.seed !== undefined)
    lines.push('#', `# fast-check seed ${cx.seed}${cx.path !== undefined ? `, path "${cx.path}"` : ''}`);
  lines.push(`# ${cx.objects.length} object(s); apply with: kubectl apply -f ${file}`);
  return `${lines.join('\n')}\n${manifestsYaml(cx.objects)}`;
}
