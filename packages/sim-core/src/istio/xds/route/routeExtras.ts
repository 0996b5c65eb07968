/**
 * The parts of istiod's route translation around the destination (istio/istio@1.29.3
 * `pilot/pkg/networking/core/route/route.go`): header operations (`TranslateHeadersOperations`: `set` →
 * OVERWRITE_IF_EXISTS_OR_ADD, `add` → APPEND_IF_EXISTS_OR_ADD, sorted by name, pseudo-headers and `host`
 * dropped but `:authority`/`host` turned into a host rewrite), mirrors (`MirrorPercent`,
 * `MirrorPercentByPolicy`, `TranslateRequestMirrorPolicy`), the CORS policy (`TranslateCORSPolicy`) and
 * the fault filter's per-route config (`TranslateFault`).
 */
import { toProtoDuration } from '../../../envoy/common.js';
import type { HeaderValueOption } from '../../../envoy/config/core.js';
import type {
  CorsPolicy as EnvoyCors,
  RequestMirrorPolicy,
  RuntimeFractionalPercent,
} from '../../../envoy/config/route.js';
import type { CorsPolicy, Destination, Headers, HTTPRoute } from '../api.js';
import {
  translateFault,
  translateIntegerToFractionalPercent,
  translatePercentToFractionalPercent,
} from '../trafficPolicy/translateFault.js';
import type { IstioHTTPFaultInjection } from '../trafficPolicy/types.js';
import { convertToEnvoyMatch } from './routeMatch.js';

/** A duration in proto3 JSON form, or undefined when it does not parse (validation reports it). */
export function safeProtoDuration(text: string): string | undefined {
  try {
    return toProtoDuration(text, 'duration');
  } catch {
    return undefined;
  }
}

/** `HeadersOperations`. */
export interface HeadersOperations {
  readonly requestHeadersToAdd: readonly HeaderValueOption[];
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToRemove: readonly string[];
  readonly responseHeadersToRemove: readonly string[];
  /** `:authority` / `host` set or added: becomes `hostRewriteLiteral`. */
  readonly authority?: string;
}

const isInternal = (k: string): boolean => k.startsWith(':') || k.toLowerCase() === 'host';
const isAuthority = (k: string): boolean => k.toLowerCase() === ':authority' || k.toLowerCase() === 'host';

function appendHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  append: boolean,
): { options: HeaderValueOption[]; authority?: string } {
  if (headers === undefined) return { options: [] };
  let authority: string | undefined;
  const options: HeaderValueOption[] = [];
  for (const key of Object.keys(headers).sort()) {
    const value = headers[key] as string;
    if (isAuthority(key)) authority = value;
    if (isInternal(key)) continue;
    options.push({
      header: { key, value },
      appendAction: append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD',
    });
  }
  return authority === undefined ? { options } : { options, authority };
}

/** `TranslateHeadersOperations`. */
export function translateHeadersOperations(h: Headers): HeadersOperations {
  const reqSet = appendHeaders(h.request?.set, false);
  const reqAdd = appendHeaders(h.request?.add, true);
  const respSet = appendHeaders(h.response?.set, false);
  const respAdd = appendHeaders(h.response?.add, true);
  const authority = reqSet.authority ?? reqAdd.authority;
  return {
    requestHeadersToAdd: [...reqSet.options, ...reqAdd.options],
    responseHeadersToAdd: [...respSet.options, ...respAdd.options],
    requestHeadersToRemove: (h.request?.remove ?? []).filter((k) => !isInternal(k)),
    responseHeadersToRemove: (h.response?.remove ?? []).filter((k) => !isInternal(k)),
    ...(authority !== undefined ? { authority } : {}),
  };
}

/** `MirrorPercent` / `MirrorPercentByPolicy`: 100 % when unset, none when set to 0. */
function mirrorFraction(
  percentage: { readonly value?: number } | undefined,
  percent: number | undefined,
): RuntimeFractionalPercent | undefined {
  if (percentage !== undefined)
    return (percentage.value ?? 0) > 0 ? { defaultValue: translatePercentToFractionalPercent(percentage) } : undefined;
  if (percent !== undefined)
    return percent > 0 ? { defaultValue: translateIntegerToFractionalPercent(percent) } : undefined;
  return { defaultValue: translateIntegerToFractionalPercent(100) };
}

/** `mirror` and `mirrors` as `requestMirrorPolicies` (`traceSampled: false`). */
export function translateMirrorPolicies(h: HTTPRoute, clusterOf: (d: Destination) => string): RequestMirrorPolicy[] {
  const out: RequestMirrorPolicy[] = [];
  if (h.mirror !== undefined) {
    const f = mirrorFraction(h.mirrorPercentage, h.mirrorPercent);
    if (f !== undefined) out.push({ cluster: clusterOf(h.mirror), runtimeFraction: f, traceSampled: false });
  }
  for (const m of h.mirrors ?? []) {
    if (m.destination === undefined) continue;
    const f = mirrorFraction(m.percentage, undefined);
    if (f !== undefined) out.push({ cluster: clusterOf(m.destination), runtimeFraction: f, traceSampled: false });
  }
  return out;
}

/** `TranslateCORSPolicy`, as the typed per-filter config of `envoy.filters.http.cors`. */
export function translateCorsPolicy(c: CorsPolicy): EnvoyCors {
  const origins =
    c.allowOrigins !== undefined
      ? c.allowOrigins.flatMap((o) => convertToEnvoyMatch(o) ?? [])
      : c.allowOrigin?.map((o) => ({ exact: o }));
  const maxAgeSeconds = c.maxAge !== undefined ? safeProtoDuration(c.maxAge) : undefined;
  return {
    '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy',
    ...(origins !== undefined ? { allowOriginStringMatch: origins } : {}),
    ...(c.allowMethods !== undefined && c.allowMethods.length > 0 ? { allowMethods: c.allowMethods.join(',') } : {}),
    ...(c.allowHeaders !== undefined && c.allowHeaders.length > 0 ? { allowHeaders: c.allowHeaders.join(',') } : {}),
    ...(c.exposeHeaders !== undefined && c.exposeHeaders.length > 0
      ? { exposeHeaders: c.exposeHeaders.join(',') }
      : {}),
    ...(maxAgeSeconds !== undefined ? { maxAge: String(Math.floor(Number(maxAgeSeconds.slice(0, -1)))) } : {}),
    ...(c.allowCredentials !== undefined ? { allowCredentials: c.allowCredentials } : {}),
    forwardNotMatchingPreflights: c.unmatchedPreflights !== 'IGNORE',
    filterEnabled: { defaultValue: { numerator: 100, denominator: 'HUNDRED' } },
  };
}

/** `TranslateFault`, with its `@type`, or undefined when nothing is injected. */
export function translateFaultConfig(f: IstioHTTPFaultInjection): Readonly<Record<string, unknown>> | undefined {
  let fault;
  try {
    fault = translateFault(f);
  } catch {
    return undefined; // an unparsable delay: validation reports it
  }
  return fault === undefined
    ? undefined
    : { '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault', ...fault };
}
