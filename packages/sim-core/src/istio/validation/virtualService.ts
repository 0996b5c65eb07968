/**
 * Istio's validating-webhook checks of a VirtualService beyond its CRD schema: `ValidateVirtualService`,
 * `validateHTTPRoute` and friends in istio/istio 1.29 `pkg/config/validation/{validation,virtualservice}.go`,
 * with Istio's messages, each reported at the field it concerns. The unreachable-rule warnings
 * (IST0130/IST0131) are the analyzer's job, not this module's.
 */
import type { IssueList } from '../../k8s/validation/issue.js';
import {
  arr,
  isIPAddress,
  obj,
  sortedEntries,
  str,
  validateExportTo,
  validateWildcardDomain,
  type Json,
} from './common.js';
import { hostMatches } from './host.js';
import { validateGatewayBoundDomain, validateGatewayNames } from './gatewayNames.js';
import { validateHTTPRoute } from './httpRoute.js';
import { validateTCPRoute, validateTLSRoute } from './l4Route.js';

const MESH = 'mesh';

/** Validates a VirtualService `spec` in namespace `namespace`. */
export function validateVirtualService(spec: Json, namespace: string, out: IssueList): void {
  const hosts = arr(spec['hosts']).map(str);
  const gateways = arr(spec['gateways']).map(str);
  const http = arr(spec['http']);
  const tls = arr(spec['tls']);
  const tcp = arr(spec['tcp']);
  const S = ['spec'] as const;

  if (hosts.length === 0) {
    // A VirtualService without hosts is a delegate.
    if (gateways.length !== 0)
      out.error([...S, 'gateways'], 'delegate virtual service must have no gateways specified');
    if (tls.length !== 0) out.error([...S, 'tls'], 'delegate virtual service must have no tls route specified');
    if (tcp.length !== 0) out.error([...S, 'tcp'], 'delegate virtual service must have no tcp route specified');
  }
  let appliesToGateway = false;
  if (gateways.length > 0) {
    validateGatewayNames(gateways, [...S, 'gateways'], out);
    appliesToGateway = !gateways.includes(MESH);
  }
  const appliesToMesh = !appliesToGateway;
  if (!appliesToGateway) {
    http.forEach((route, i) => {
      arr(obj(route)?.['match']).forEach((m, j) => {
        for (const field of ['headers', 'withoutHeaders'] as const) {
          for (const [key] of sortedEntries(obj(m)?.[field])) {
            if (key.startsWith('@request.auth.claims')) {
              out.error(
                [...S, 'http', i, 'match', j, field, key],
                `JWT claim based routing (key: ${key}) is only supported for gateway, found no gateways: [${gateways.join(' ')}]`,
              );
            }
          }
        }
      });
    });
  }

  const sni = tls.some((t) => arr(obj(t)?.['match']).some((m) => arr(obj(m)?.['sniHosts']).length > 0));
  let allHostsValid = true;
  hosts.forEach((h, i) => {
    const err = appliesToGateway ? validateGatewayBoundDomain(sni, h) : validateWildcardDomain(h);
    if (err !== undefined) {
      if (!isIPAddress(h)) {
        out.error([...S, 'hosts', i], err);
        allHostsValid = false;
      }
    } else if (appliesToMesh && h === '*') {
      out.error([...S, 'hosts', i], 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        const a = hosts[i] ?? '';
        const b = hosts[j] ?? '';
        if (hostMatches(a, b)) out.error([...S, 'hosts', j], `duplicate hosts in virtual service: ${a} & ${b}`);
      }
    }
  }

  if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
    out.error(S, 'http, tcp or tls must be provided in virtual service');
  }
  http.forEach((route, i) => {
    const r = obj(route);
    if (r === undefined) out.error([...S, 'http', i], 'http route may not be null');
    else validateHTTPRoute(r, hosts.length === 0, [...S, 'http', i], out);
  });
  tls.forEach((route, i) => validateTLSRoute(obj(route), hosts, appliesToGateway, [...S, 'tls', i], out));
  tcp.forEach((route, i) => validateTCPRoute(obj(route), [...S, 'tcp', i], out));
  validateExportTo(namespace, spec['exportTo'], [...S, 'exportTo'], out);
}
