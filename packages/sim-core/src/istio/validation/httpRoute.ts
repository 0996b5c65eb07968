/**
 * Istio's checks of one VirtualService HTTP route: conflicting actions and match requests
 * (`validateHTTPRoute`, `validateHTTPRouteConflict`, `validateHTTPRouteMatchRequest` in istio/istio 1.29
 * `pkg/config/validation/virtualservice.go`).
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import {
  arr,
  formatGoFixed,
  num,
  obj,
  present,
  sortedEntries,
  str,
  validateDuration,
  validateLabels,
  validatePort,
  type Json,
} from './common.js';
import { validateHeaderMatchName, validateHeaderOperations } from './httpHeaders.js';
import { validateGatewayNames } from './gatewayNames.js';
import {
  validateAuthorityRewrite,
  validateCorsPolicy,
  validateDirectResponse,
  validateFault,
  validateRedirect,
  validateRetries,
  validateRewrite,
} from './httpRouteActions.js';
import { validateDestination, validateHTTPRouteDestinations } from './routeDestination.js';
import { validateStringMatch } from './stringMatch.js';

/** `validateHTTPRoute`: one entry of `spec.http` (`delegate`: the VirtualService is a delegate). */
export function validateHTTPRoute(r: Json, delegate: boolean, path: FieldPath, out: IssueList): void {
  validateRouteConflict(r, delegate, path, out);
  validateMatchRequests(r, path, out);
  validateHeaderOperations(r['headers'], [...path, 'headers'], out);
  validateCorsPolicy(obj(r['corsPolicy']), [...path, 'corsPolicy'], out);
  validateFault(obj(r['fault']), [...path, 'fault'], out);

  const mirrorPercent =
    obj(r['mirrorPercent']) ?? (typeof r['mirrorPercent'] === 'number' ? { value: r['mirrorPercent'] } : undefined);
  if (present(r['mirrorPercent'])) {
    const v = num(mirrorPercent?.['value']);
    if (v > 100) out.error([...path, 'mirrorPercent'], `mirror_percent must have a max value of 100 (it has ${v})`);
    out.warning([...path, 'mirrorPercent'], 'using deprecated setting "mirrorPercent", use "mirrorPercentage" instead');
  }
  const mp = obj(r['mirrorPercentage']);
  if (mp !== undefined) {
    const v = num(mp['value']);
    if (v > 100)
      out.error(
        [...path, 'mirrorPercentage', 'value'],
        `mirror_percentage must have a max value of 100 (it has ${formatGoFixed(v)})`,
      );
    if (v < 0)
      out.error(
        [...path, 'mirrorPercentage', 'value'],
        `mirror_percentage must have a min value of 0 (it has ${formatGoFixed(v)})`,
      );
  }
  validateDestination(obj(r['mirror']), [...path, 'mirror'], out);
  arr(r['mirrors']).forEach((m, i) => {
    const at = [...path, 'mirrors', i];
    const mirror = obj(m);
    if (mirror === undefined) return out.error(at, 'mirror cannot be null');
    if (obj(mirror['destination']) === undefined) return out.error(at, 'destination is required for mirrors');
    validateDestination(obj(mirror['destination']), [...at, 'destination'], out);
    const p = obj(mirror['percentage']);
    if (p !== undefined) {
      const v = num(p['value']);
      if (v > 100)
        out.error(
          [...at, 'percentage', 'value'],
          `mirror percentage must have a max value of 100 (it has ${formatGoFixed(v)})`,
        );
      if (v < 0)
        out.error(
          [...at, 'percentage', 'value'],
          `mirror percentage must have a min value of 0 (it has ${formatGoFixed(v)})`,
        );
    }
  });
  validateRedirect(obj(r['redirect']), [...path, 'redirect'], out);
  validateDirectResponse(obj(r['directResponse']), [...path, 'directResponse'], out);
  validateRetries(obj(r['retries']), [...path, 'retries'], out);
  validateRewrite(obj(r['rewrite']), [...path, 'rewrite'], out);
  validateAuthorityRewrite(r, path, out);
  validateHTTPRouteDestinations(arr(r['route']), [...path, 'route'], out);
  if (present(r['timeout'])) {
    const e = validateDuration(r['timeout']);
    if (e !== undefined) out.error([...path, 'timeout'], e);
  }
}

function validateRouteConflict(r: Json, delegate: boolean, path: FieldPath, out: IssueList): void {
  const name = str(r['name']);
  const has = (f: string): boolean => present(r[f]);
  const routes = arr(r['route']).length;
  if (!delegate && has('delegate')) {
    // A root route: the delegate supplies the routes.
    if (has('redirect')) out.error([...path, 'redirect'], `root HTTP route ${name} must not specify redirect`);
    if (has('route')) out.error([...path, 'route'], `root HTTP route ${name} must not specify route`);
    return;
  }
  if (delegate && has('delegate')) out.error([...path, 'delegate'], 'delegate HTTP route cannot contain delegate');
  if (has('redirect')) {
    if (routes > 0) out.error([...path, 'redirect'], 'HTTP route cannot contain both route and redirect');
    if (has('fault')) out.error([...path, 'redirect'], 'HTTP route cannot contain both fault and redirect');
    if (has('rewrite')) out.error([...path, 'redirect'], 'HTTP route rule cannot contain both rewrite and redirect');
    if (has('directResponse'))
      out.error([...path, 'redirect'], 'HTTP route rule cannot contain both direct_response and redirect');
  } else if (has('directResponse')) {
    if (routes > 0) out.error([...path, 'directResponse'], 'HTTP route cannot contain both route and direct_response');
    if (has('fault'))
      out.error([...path, 'directResponse'], 'HTTP route cannot contain both fault and direct_response');
    if (has('rewrite'))
      out.error([...path, 'directResponse'], 'HTTP route rule cannot contain both rewrite and direct_response');
  } else if (routes === 0) {
    out.error(path, 'HTTP route, redirect or direct_response is required');
  }
  if (has('mirror') && arr(r['mirrors']).length > 0)
    out.error([...path, 'mirrors'], 'HTTP route cannot contain both mirror and mirrors');
}

function validateMatchRequests(r: Json, path: FieldPath, out: IssueList): void {
  arr(r['match']).forEach((m0, i) => {
    const m = obj(m0);
    if (m === undefined) return;
    const at = [...path, 'match', i];
    for (const [name, header] of sortedEntries(m['headers'])) {
      if (!present(header)) out.error([...at, 'headers', name], `header match ${name} cannot be null`);
      const e = validateHeaderMatchName(name);
      if (e !== undefined) out.error([...at, 'headers', name], e);
      validateStringMatch(header, 'headers', [...at, 'headers', name], out);
    }
    for (const [name, header] of sortedEntries(m['withoutHeaders'])) {
      const e = validateHeaderMatchName(name);
      if (e !== undefined) out.error([...at, 'withoutHeaders', name], e);
      if (obj(header)?.['regex'] !== '*')
        validateStringMatch(header, 'withoutHeaders', [...at, 'withoutHeaders', name], out);
    }
    validateStringMatch(m['uri'], 'uri', [...at, 'uri'], out, true);
    validateStringMatch(m['scheme'], 'scheme', [...at, 'scheme'], out);
    validateStringMatch(m['method'], 'method', [...at, 'method'], out);
    validateStringMatch(m['authority'], 'authority', [...at, 'authority'], out);
    for (const [name, qp] of sortedEntries(m['queryParams']))
      validateStringMatch(qp, 'queryParams', [...at, 'queryParams', name], out);
    if (num(m['port']) !== 0) {
      const e = validatePort(num(m['port']));
      if (e !== undefined) out.error([...at, 'port'], e);
    }
    validateLabels(m['sourceLabels'], [...at, 'sourceLabels'], out);
    validateGatewayNames(arr(m['gateways']).map(str), [...at, 'gateways'], out);
    const sns = str(m['sourceNamespace']);
    if (sns !== '' && !isIstioDNS1123Label(sns))
      out.error([...at, 'sourceNamespace'], `sourceNamespace match ${sns} is invalid`);
  });
}
