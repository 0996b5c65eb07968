/**
 * Route destinations and weights (`validateDestination`, `validateHTTPRouteDestinations`,
 * `validateRouteDestinations` in istio/istio 1.29 `pkg/config/validation/validation.go`).
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import { num, obj, present, str, validatePort, validateWildcardDomain, type Json } from './common.js';
import { validateHeaderOperations } from './httpHeaders.js';

/** `validateDestination`: host syntax (not `*`), subset name, port. */
export function validateDestination(d: Json | undefined, path: FieldPath, out: IssueList): void {
  if (d === undefined) return;
  const host = str(d['host']);
  const e = host === '*' ? `invalid destination host ${host}` : validateWildcardDomain(host);
  if (e !== undefined) out.error([...path, 'host'], e);
  if (present(d['subset'])) {
    const s = str(d['subset']);
    if (s === '') out.error([...path, 'subset'], 'subset name cannot be empty');
    else if (!isIstioDNS1123Label(s)) out.error([...path, 'subset'], `subset name is invalid: ${s}`);
  }
  const port = obj(d['port']);
  if (port !== undefined) {
    const pe = validatePort(num(port['number']));
    if (pe !== undefined) out.error([...path, 'port', 'number'], pe);
  }
}

/** `validateHTTPRouteDestinations`: weights ≥ 0, a positive total when several, header operations. */
export function validateHTTPRouteDestinations(routes: readonly unknown[], path: FieldPath, out: IssueList): void {
  let total = 0;
  routes.forEach((r0, i) => {
    const at = [...path, i];
    const r = obj(r0);
    if (r === undefined) return out.error(at, 'weight may not be nil');
    if (obj(r['destination']) === undefined) out.error([...at, 'destination'], 'destination is required');
    validateHeaderOperations(r['headers'], [...at, 'headers'], out);
    validateDestination(obj(r['destination']), [...at, 'destination'], out);
    const w = num(r['weight']);
    if (w < 0) out.error([...at, 'weight'], `weight ${w} < 0`);
    total += w;
  });
  if (routes.length > 1 && total === 0) out.error(path, 'total destination weight = 0');
}

/** `validateRouteDestinations` (TLS and TCP routes). */
export function validateRouteDestinations(routes: readonly unknown[], path: FieldPath, out: IssueList): void {
  let total = 0;
  routes.forEach((r0, i) => {
    const at = [...path, i];
    const r = obj(r0);
    if (r === undefined) return out.error(at, 'weight may not be nil');
    if (obj(r['destination']) === undefined) out.error([...at, 'destination'], 'destination is required');
    validateDestination(obj(r['destination']), [...at, 'destination'], out);
    const w = num(r['weight']);
    if (w < 0) out.error([...at, 'weight'], `weight ${w} < 0`);
    total += w;
  });
  if (routes.length > 1 && total === 0) out.error(path, 'total destination weight = 0');
}
