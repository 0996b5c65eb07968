/**
 * Traces for people: a packet's outcome as text a student can read hop by hop, and as the JSON document
 * `meshsim iptables trace -o json` prints (documented in docs/concepts/traffic-capture.md).
 */
import { formatEndpoint } from './addr.js';
import type { Hop } from './traverse.js';
import type { Endpoint, PacketOutcome } from './walk.js';

/** One hop in the JSON form. */
export interface TraceHopJson {
  readonly table: string;
  readonly chain: string;
  readonly rule: number | null;
  readonly text: string;
  readonly matched: boolean;
  readonly verdict: string | null;
  readonly why?: string;
}

/** The JSON document of a trace. */
export interface TraceJson {
  readonly verdict: PacketOutcome['verdict'];
  readonly localPort?: number;
  readonly destination: string;
  readonly originalDestination: string;
  readonly hops: readonly TraceHopJson[];
  readonly source: string;
  readonly originalSource: string;
  readonly delivered: PacketOutcome['delivered'];
  readonly outInterface?: string;
  readonly droppedBy?: string;
  readonly conntrack: PacketOutcome['conntrack'];
  /** What the kernel did between the tables: routing, conntrack, loopback. */
  readonly notes: readonly string[];
}

const ep = (e: Endpoint): string => formatEndpoint(e.ip, e.port);

/** The outcome as the JSON document of `meshsim iptables trace -o json`. */
export function traceToJson(o: PacketOutcome): TraceJson {
  return {
    verdict: o.verdict,
    ...(o.localPort !== undefined ? { localPort: o.localPort } : {}),
    destination: ep(o.destination),
    originalDestination: ep(o.originalDestination),
    hops: o.hops.map((h) => ({
      table: h.table,
      chain: h.chain,
      rule: h.rule,
      text: h.text,
      matched: h.matched,
      verdict: h.verdict,
      ...(h.why !== undefined ? { why: h.why } : {}),
    })),
    source: ep(o.source),
    originalSource: ep(o.originalSource),
    delivered: o.delivered,
    ...(o.outInterface !== undefined ? { outInterface: o.outInterface } : {}),
    ...(o.droppedBy !== undefined ? { droppedBy: o.droppedBy } : {}),
    conntrack: o.conntrack,
    notes: o.steps.flatMap((s) => (s.kind === 'note' ? [s.text] : [])),
  };
}

function hopLine(h: Hop): string {
  if (h.rule === null)
    return `     ${h.text}${h.verdict && h.text !== `policy ${h.verdict}` ? ` => ${h.verdict}` : ''}`;
  const n = String(h.rule).padStart(3);
  if (!h.matched) return `${n}  no   ${h.text}${h.why ? `   [${h.why}]` : ''}`;
  return `${n}  YES  ${h.text}   => ${h.verdict}`;
}

/** A one-sentence summary of where the packet ended. */
export function describeOutcome(o: PacketOutcome): string {
  const dst = ep(o.destination);
  const orig = ep(o.originalDestination);
  switch (o.verdict) {
    case 'local':
      return `local: captured — accepted by the local socket on port ${o.localPort} (${dst}); the original destination ${orig} stays available to it (SO_ORIGINAL_DST)`;
    case 'dnat':
      return `dnat: sent on to ${dst} via ${o.outInterface} (the client still sees ${orig}; conntrack rewrites the replies)`;
    case 'drop':
      return `drop: dropped in ${o.droppedBy ?? 'netfilter'}`;
    case 'pass':
      return o.delivered === 'local'
        ? `pass: not captured — delivered unchanged to ${dst} in this namespace`
        : `pass: not captured — leaves via ${o.outInterface} unchanged, to ${dst}`;
  }
}

/** The outcome as text: the kernel's steps, each table's hops, and the verdict. */
export function formatTrace(o: PacketOutcome): string {
  const lines: string[] = [];
  for (const s of o.steps) {
    if (s.kind === 'note') {
      lines.push(`* ${s.text}`);
      continue;
    }
    lines.push(`${s.table} ${s.hook}:`);
    for (const h of s.hops) lines.push(`  ${hopLine(h)}`);
  }
  lines.push(`verdict: ${describeOutcome(o)}`);
  return `${lines.join('\n')}\n`;
}
