/**
 * Walks one connection (and, for HTTP, one request) through a proxy's Envoy configuration the way Envoy
 * processes it: listener (with iptables capture and original-destination hand-off) → listener filters →
 * filter chain → transport socket → network filter — the HTTP connection manager (httpConnectionManager.ts:
 * route configuration → virtual host → route, routeEntry.ts) or the TCP proxy — → cluster(s) → endpoints and
 * outcome (forward.ts). Pure and deterministic: weighted clusters and fault percentages are reported with
 * their probabilities, never sampled. Never throws for any input.
 */
import { findFilterChain, type FilterChainSelection } from '../envoy/listener/filterChainMatch.js';
import { inspectConnection } from '../envoy/listener/listenerFilters.js';
import { selectListener } from '../envoy/listener/listenerSelect.js';
import {
  FilterNames,
  type FilterChain,
  type HttpConnectionManager,
  type Listener,
  type TcpProxy,
} from '../envoy/listener/types.js';
import { weightedCandidates } from '../envoy/router/weightedClusters.js';
import { describeSteps, listenerAddress } from './describe.js';
import { forward } from './forward.js';
import { walkHttp } from './httpConnectionManager.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { checkTransport } from './transport.js';
import { finishWalk, type WalkInput, type WalkResult, type WalkState } from './walkResult.js';

export type { WalkInput, WalkMatches, WalkResult } from './walkResult.js';

/** The chain's terminal network filter: the last HTTP connection manager or TCP proxy. */
function networkFilter(
  chain: FilterChain,
): { kind: 'hcm'; hcm: HttpConnectionManager } | { kind: 'tcp'; tcp: TcpProxy } | undefined {
  const filters = chain.filters ?? [];
  for (let i = filters.length - 1; i >= 0; i--) {
    const f = filters[i];
    if (f === undefined) continue;
    if (f.name === FilterNames.httpConnectionManager)
      return { kind: 'hcm', hcm: (f.typedConfig ?? {}) as HttpConnectionManager };
    if (f.name === FilterNames.tcpProxy) return { kind: 'tcp', tcp: (f.typedConfig ?? {}) as TcpProxy };
  }
  return undefined;
}

const chainName = (sel: FilterChainSelection, listener: Listener): string =>
  sel.chain?.name ?? (sel.usedDefaultChain ? `${listener.name} default chain` : `#${sel.index}`);

/** Walks `input` through `config`. */
export function walkProxyConfig(config: ProxyConfigView, input: WalkInput): WalkResult {
  const state: WalkState = { steps: [], matches: {}, decided: {} };
  const { steps } = state;
  const conn = input.connection;

  // Listener.
  const sel = selectListener(config.listeners, conn.destinationAddress, conn.destinationPort, input.capturePort);
  if (sel.listener === undefined) {
    steps.push({
      step: 'listener',
      summary:
        input.capturePort === undefined
          ? `no listener is bound to ${conn.destinationAddress}:${conn.destinationPort}`
          : `no listener on the capture port ${input.capturePort}`,
    });
    return finishWalk(
      state,
      { action: 'connection_refused', text: 'connection refused (no listener)' },
      { error: 'no_listener' },
    );
  }
  const listener = sel.listener;
  steps.push({
    step: 'listener',
    summary: `${listener.name} (${listenerAddress(listener)})`,
    details: describeSteps.listener(sel, conn),
  });
  state.matches.listener = listener;
  state.decided.listener = listener.name;

  // Listener filters, then the filter chain.
  const inspected = inspectConnection(sel.acceptedBy !== undefined ? [sel.acceptedBy, listener] : [listener], conn);
  steps.push({ step: 'listener_filters', summary: describeSteps.inspection(inspected) });
  const fc = findFilterChain(listener, inspected.socket);
  if (fc.error === 'multiple_filter_chains') {
    steps.push({ step: 'filter_chain', summary: fc.conflict ?? 'overlapping filter chains' });
    return finishWalk(
      state,
      { action: 'listener_rejected', text: `Envoy rejects listener ${listener.name}: ${fc.conflict ?? ''}` },
      { error: 'multiple_filter_chains' },
    );
  }
  const total = listener.filterChains?.length ?? 0;
  if (fc.chain === undefined) {
    steps.push({
      step: 'filter_chain',
      summary: 'no filter chain matches',
      details: describeSteps.filterChain(fc, total),
    });
    return finishWalk(
      state,
      {
        action: 'connection_closed',
        responseFlags: 'NR',
        text: 'connection closed (no matching filter chain; flag NR)',
      },
      { error: 'no_filter_chain' },
    );
  }
  const chain = fc.chain;
  state.matches.filterChain = chain;
  const fcName = chainName(fc, listener);
  steps.push({
    step: 'filter_chain',
    summary: `${fcName}${fc.usedDefaultChain ? ' (the default chain: no chain matched)' : ''}`,
    details: describeSteps.filterChain(fc, total),
  });
  state.decided.filterChain = fcName;

  // Transport socket.
  const transport = checkTransport(chain, input.tls);
  if (!transport.ok) {
    steps.push({ step: 'transport', summary: transport.summary });
    return finishWalk(
      state,
      { action: 'connection_closed', text: 'TLS handshake fails: connection closed' },
      { error: transport.error },
    );
  }
  if (transport.summary !== undefined) steps.push({ step: 'transport', summary: transport.summary });

  // The network filter: HTTP connection manager or TCP proxy.
  const nf = networkFilter(chain);
  if (nf === undefined) {
    steps.push({ step: 'network_filter', summary: 'the chain has no HTTP connection manager or TCP proxy' });
    return finishWalk(
      state,
      { action: 'connection_closed', text: 'connection closed (no terminal network filter)' },
      { error: 'no_route' },
    );
  }
  if (nf.kind === 'hcm') return walkHttp(config, nf.hcm, input, transport.terminatesTls, state);
  steps.push({ step: 'network_filter', summary: 'TCP proxy' });
  const picks =
    nf.tcp.weightedClusters !== undefined
      ? weightedCandidates(nf.tcp.weightedClusters).map((c) => ({
          name: c.name,
          weight: c.weight,
          probability: c.probability,
        }))
      : [{ name: nf.tcp.cluster ?? '', probability: 1 }];
  return forward(config, picks, conn, state);
}
