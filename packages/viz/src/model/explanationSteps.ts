/**
 * A route explanation's steps (sim-core explain/explanation.ts `ExplainStep`) as flow-chart steps on the
 * client or server side: labels in Envoy's words (`listener 0.0.0.0_80`, `route configuration "80"`,
 * `cluster outbound|80|v1|…`), what happened as the detail, the reasons as notes, the manifest fields that
 * decided each step; the capture step replaced by the netfilter rules when a traversal is given.
 */
import type { ExplainStepLike, PacketTraceLike, RouteExplanationLike } from './explanationLike.js';
import { netfilterSteps } from './netfilterSteps.js';
import type { FlowLane, FlowStage, FlowStep } from './requestFlow.js';

const STAGES: Readonly<Record<string, FlowStage>> = {
  dns: 'dns',
  capture: 'netfilter',
  listener: 'listener',
  listener_filters: 'listener_filters',
  filter_chain: 'filter_chain',
  transport: 'transport',
  network_filter: 'network_filter',
  route_config: 'route_config',
  virtual_host: 'virtual_host',
  route: 'route',
  cluster: 'cluster',
  endpoints: 'endpoint',
};

function labelOf(e: RouteExplanationLike, s: ExplainStepLike, inbound: boolean): string {
  switch (s.step) {
    case 'dns':
      return 'DNS';
    case 'capture':
      return 'iptables';
    case 'listener':
      return e.listener !== undefined ? `listener ${e.listener}` : 'listener';
    case 'listener_filters':
      return 'listener filters';
    case 'filter_chain':
      return e.filterChain !== undefined && e.filterChain !== '' ? `filter chain ${e.filterChain}` : 'filter chain';
    case 'transport':
      return 'TLS';
    case 'network_filter':
      return s.summary.startsWith('TCP proxy') ? 'TCP proxy' : 'HTTP connection manager';
    case 'route_config':
      return `route configuration ${JSON.stringify(e.routeConfig ?? '')}`;
    case 'virtual_host':
      return e.virtualHost !== undefined ? `virtual host ${e.virtualHost}` : 'virtual host';
    case 'route': {
      const r = e.route;
      if (r === undefined) return 'route';
      return `route ${r.name !== undefined ? JSON.stringify(r.name) : `#${r.index}`}`;
    }
    case 'cluster':
      return e.cluster !== undefined ? `${inbound ? 'inbound cluster' : 'cluster'} ${e.cluster}` : 'weighted clusters';
    case 'endpoints':
      return 'endpoints (EDS)';
    default:
      return s.step;
  }
}

/** What the route step adds: the VirtualService http route behind the Envoy route. */
function routeDetail(e: RouteExplanationLike, s: ExplainStepLike): string {
  const vs = e.route?.virtualService;
  if (vs === undefined) return s.summary;
  const http = e.route?.httpRouteIndex !== undefined ? ` http[${e.route.httpRouteIndex}]` : '';
  const name = e.route?.httpRouteName !== undefined ? ` (${e.route.httpRouteName})` : '';
  return `VirtualService ${vs.namespace}/${vs.name}${http}${name}: ${e.route?.match ?? s.summary}`;
}

/**
 * The step's summary without what the label already says: `#0` under `filter chain #0` gives way to the
 * first criterion, and `canary…:80: Host "canary" matched…` under `virtual host canary…:80` loses its
 * prefix.
 */
function withoutName(label: string, s: ExplainStepLike): string | undefined {
  const name = label.slice(label.lastIndexOf(' ') + 1);
  if (s.summary === name || label.endsWith(` ${s.summary}`)) return s.details?.[0];
  if (name !== '' && s.summary.startsWith(`${name}: `)) return s.summary.slice(name.length + 2);
  return s.summary;
}

/**
 * The explanation's steps as flow steps on one side (`client` or `server`). The `call` and `outcome`
 * steps are left out (the flow has its own), and the capture step is replaced by the netfilter rules when
 * a traversal is given. A local reply (404 NR, …) becomes a router step with an error status.
 */
export function explanationSteps(
  e: RouteExplanationLike,
  side: 'client' | 'server',
  capture?: PacketTraceLike,
): FlowStep[] {
  const envoy: FlowLane = side === 'client' ? 'client-envoy' : 'server-envoy';
  const kernel: FlowLane = side === 'client' ? 'client-netfilter' : 'server-netfilter';
  const out: FlowStep[] = [];
  for (const s of e.steps) {
    if (s.step === 'call') continue;
    if (s.step === 'outcome') {
      if (e.error !== undefined || (e.outcome.action !== 'forward' && e.outcome.action !== 'tcp_proxy')) {
        const st = e.outcome.status;
        out.push({
          lane: e.outcome.action === 'not_captured' || e.outcome.action === 'dns_failure' ? kernel : envoy,
          stage: 'router',
          label:
            st !== undefined
              ? `local reply ${st}${e.outcome.responseFlags !== undefined ? ` ${e.outcome.responseFlags}` : ''}`
              : e.outcome.action.replace(/_/g, ' '),
          detail: e.outcome.text,
          status: e.error !== undefined ? 'error' : 'ok',
        });
      }
      continue;
    }
    if (s.step === 'capture' && capture !== undefined) {
      out.push(...netfilterSteps(capture, kernel));
      continue;
    }
    const stage = STAGES[s.step] ?? 'router';
    const lane: FlowLane =
      s.step === 'dns' ? (side === 'client' ? 'client-app' : 'server-app') : s.step === 'capture' ? kernel : envoy;
    const label = labelOf(e, s, side === 'server');
    const detail =
      s.step === 'route'
        ? routeDetail(e, s)
        : s.step === 'listener' && s.details?.[0] !== undefined
          ? s.details[0]
          : withoutName(label, s);
    out.push({
      lane,
      stage: side === 'server' && stage === 'cluster' ? 'inbound_cluster' : stage,
      label,
      ...(detail !== undefined ? { detail } : {}),
      ...(s.details !== undefined && s.details.length > 0 ? { notes: s.details } : {}),
      ...(s.decidedBy !== undefined && s.decidedBy.length > 0 ? { decidedBy: s.decidedBy } : {}),
    });
  }
  return out;
}
