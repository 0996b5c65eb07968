/**
 * The HTTP connection manager's part of a walk: the bytes must be HTTP it can decode (else 400 DPE); the
 * route configuration, inline or by RDS name (never sent: 404 NR); `:path` normalised as configured (istiod
 * sets `normalize_path`); the virtual host by Host (none: 404 NR); `require_tls` checked before any route
 * (`VirtualHostImpl::getRouteFromEntries`: ALL redirects every non-https request, EXTERNAL_ONLY those not
 * marked `x-envoy-internal: true`); then the route step.
 */
import { firstHeaderValue, type HeaderMap } from '../envoy/common.js';
import type { HttpConnectionManager } from '../envoy/listener/types.js';
import { normalizePath } from '../envoy/router/pathNormalization.js';
import { redirectLocation } from '../envoy/router/routeOutcome.js';
import type { RouteConfiguration } from '../envoy/router/types.js';
import { findVirtualHost } from '../envoy/router/virtualHost.js';
import { describeSteps } from './describe.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { routeRequest } from './routeEntry.js';
import { finishWalk, type WalkInput, type WalkResult, type WalkState } from './walkResult.js';

/** Walks an HTTP request through `hcm`; `terminatesTls` says whether the chain decrypted it. */
export function walkHttp(
  config: ProxyConfigView,
  hcm: HttpConnectionManager,
  input: WalkInput,
  terminatesTls: boolean,
  state: WalkState,
): WalkResult {
  const steps = state.steps;
  state.matches.httpConnectionManager = hcm;
  if ((input.tls !== 'plaintext' && !terminatesTls) || input.protocol === 'tcp' || input.request === undefined) {
    steps.push({
      step: 'network_filter',
      summary:
        input.protocol === 'tcp'
          ? 'HTTP connection manager, but the client does not speak HTTP'
          : 'HTTP connection manager, but the bytes are TLS that this chain does not terminate',
    });
    return finishWalk(
      state,
      {
        action: 'local_reply',
        status: 400,
        responseFlags: 'DPE',
        responseCodeDetails: 'http1.codec_error',
        text: '400 DPE (codec error), connection closed',
      },
      { error: 'protocol_error' },
    );
  }
  let routeConfig: RouteConfiguration | undefined = hcm.routeConfig;
  const rcName = routeConfig?.name ?? hcm.rds?.routeConfigName ?? '';
  if (routeConfig === undefined) routeConfig = config.routes.find((r) => r.name === rcName);
  steps.push({
    step: 'network_filter',
    summary: `HTTP connection manager, route configuration ${JSON.stringify(rcName)}${hcm.routeConfig !== undefined ? ' (inline)' : ' (RDS)'}`,
  });
  state.decided.routeConfig = rcName;
  const notFound = {
    action: 'local_reply',
    status: 404,
    responseFlags: 'NR',
    responseCodeDetails: 'route_not_found',
  } as const;
  if (routeConfig === undefined) {
    return finishWalk(
      state,
      { ...notFound, text: `404 NR (route configuration ${rcName} was never sent)` },
      { error: 'no_route' },
    );
  }
  state.matches.routeConfig = routeConfig;
  const sentPath = firstHeaderValue(input.request, ':path') ?? '/';
  const path =
    hcm.normalizePath === true ? normalizePath(sentPath, { mergeSlashes: hcm.mergeSlashes === true }) : sentPath;
  if (path !== sentPath) steps.push({ step: 'network_filter', summary: `normalize_path: ${sentPath} → ${path}` });
  const headers: HeaderMap = {
    ...input.request,
    ':path': path,
    'x-forwarded-proto': firstHeaderValue(input.request, 'x-forwarded-proto') ?? (terminatesTls ? 'https' : 'http'),
  };
  const vh = findVirtualHost(routeConfig, headers);
  if (vh === undefined) {
    steps.push({
      step: 'virtual_host',
      summary: `no virtual host of ${rcName} matches Host ${JSON.stringify(firstHeaderValue(headers, ':authority') ?? '')}`,
    });
    return finishWalk(
      state,
      { ...notFound, text: '404 NR (route_not_found: no virtual host)' },
      { error: 'no_virtual_host' },
    );
  }
  state.matches.virtualHost = vh;
  steps.push({ step: 'virtual_host', summary: describeSteps.virtualHost(vh) });
  state.decided.virtualHost = vh.virtualHost.name;
  const requireTls = vh.virtualHost.requireTls;
  const insecure = firstHeaderValue(headers, 'x-forwarded-proto') !== 'https';
  const internal = firstHeaderValue(headers, 'x-envoy-internal') === 'true';
  if (insecure && (requireTls === 'ALL' || (requireTls === 'EXTERNAL_ONLY' && !internal))) {
    const location = redirectLocation({ httpsRedirect: true }, { match: { prefix: '/' } }, headers);
    return finishWalk(
      state,
      {
        action: 'redirect',
        status: 301,
        location,
        text: `301 redirect to ${location} (the virtual host requires TLS)`,
      },
      { error: 'tls_redirect' },
    );
  }
  return routeRequest(config, vh.virtualHost, headers, input.connection, state);
}
