/**
 * Netfilter hops for the flow chart: the iptables rules that matched as a connection's first packet went
 * through the pod's network namespace — `nat OUTPUT` → `ISTIO_OUTPUT` → `ISTIO_REDIRECT` (REDIRECT to
 * 15001) on the client, `nat PREROUTING` → `ISTIO_INBOUND` → `ISTIO_IN_REDIRECT` (to 15006) on the server
 * (istio/istio tools/istio-iptables/pkg/capture/run.go; chain names from pkg/constants/constants.go).
 * Rules that did not match are summarised, not drawn: a student follows the jumps, not the misses.
 */
import type { NetfilterHopLike, PacketTraceLike } from './explanationLike.js';
import type { FlowLane, FlowStep } from './requestFlow.js';

/** The rule without its `-A CHAIN ` prefix: `-o lo -s 127.0.0.6/32 -j RETURN`. */
function ruleBody(hop: NetfilterHopLike): string {
  const prefix = `-A ${hop.chain} `;
  return hop.text.startsWith(prefix) ? hop.text.slice(prefix.length) : hop.text;
}

/** How the traversal ended, as one line. */
export function describeCapture(trace: PacketTraceLike): string {
  switch (trace.verdict) {
    case 'local':
      return trace.localPort !== undefined
        ? `captured: handed to Envoy on port ${trace.localPort}`
        : 'delivered locally';
    case 'dnat':
      return 'destination rewritten (DNAT) and sent on';
    case 'drop':
      return 'dropped';
    default:
      return 'not captured: the connection bypasses Envoy';
  }
}

/**
 * One step per matched rule (chain ends and policies left out), each labelled `table CHAIN #n` with the
 * rule and its verdict; the rules skipped before it go to the step's notes (those after the last match to
 * the last step's). The last step says where the connection went. A traversal with no matching rule gives one step saying it was not captured.
 */
export function netfilterSteps(trace: PacketTraceLike, lane: FlowLane): FlowStep[] {
  const steps: FlowStep[] = [];
  let skipped: string[] = [];
  for (const hop of trace.hops) {
    if (hop.rule === null) continue;
    if (!hop.matched) {
      skipped.push(`#${hop.rule} no: ${ruleBody(hop)}`);
      continue;
    }
    steps.push({
      lane,
      stage: 'netfilter',
      label: `${hop.table} ${hop.chain} #${hop.rule}`,
      detail: `${ruleBody(hop)}${hop.verdict !== null ? ` ⇒ ${hop.verdict}` : ''}`,
      ...(skipped.length > 0 ? { notes: skipped } : {}),
    });
    skipped = [];
  }
  const end = describeCapture(trace);
  const last = steps.at(-1);
  const status = trace.verdict === 'drop' ? 'error' : 'ok';
  if (last === undefined) {
    steps.push({
      lane,
      stage: 'netfilter',
      label: 'iptables',
      detail: end,
      status,
      ...(skipped.length > 0 ? { notes: skipped } : {}),
    });
  } else {
    const notes = [...(last.notes ?? []), ...skipped];
    steps[steps.length - 1] = {
      ...last,
      detail: `${last.detail ?? ''} — ${end}`,
      status,
      ...(notes.length > 0 ? { notes } : {}),
    };
  }
  return steps;
}
