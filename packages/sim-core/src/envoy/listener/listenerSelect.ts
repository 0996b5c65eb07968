/**
 * Which listener takes a connection. Without iptables (a gateway) the listener bound to the destination
 * address and port does. With iptables (a sidecar) the kernel REDIRECTs the connection to the capture
 * port (15001 outbound, 15006 inbound), whose listener has `use_original_dst`: Envoy restores the
 * original destination (`original_dst` listener filter) and **hands the connection off** to the listener
 * whose address is exactly that IP:port, else to the one on the wildcard address with that port, else
 * keeps it (`ActiveTcpSocket::newConnection` and `ConnectionHandlerImpl::findActiveListenerByAddress` in
 * envoyproxy/envoy source/common/listener_manager/). Listeners with `bind_to_port: false` (istiod's
 * per-service outbound listeners) own no socket and are reachable only by hand-off.
 */
import { parseIp } from './address.js';
import type { Address, Listener } from './types.js';

/** How the connection reached the listener that serves it. */
export type ListenerMatchKind =
  /** Bound directly to the destination (no redirect). */
  | 'bound'
  /** Handed off by the capture listener to a listener on exactly the original IP:port. */
  | 'handoff_exact'
  /** Handed off to a listener on the wildcard address with the original port. */
  | 'handoff_wildcard'
  /** Kept by the capture listener (no listener for the original destination). */
  | 'capture';

/** The result of {@link selectListener}. */
export interface ListenerSelection {
  /** The listener that serves the connection, or undefined (connection refused: `no_listener`). */
  readonly listener?: Listener;
  /** The listener that accepted the socket, when different from `listener` (hand-off). */
  readonly acceptedBy?: Listener;
  readonly kind?: ListenerMatchKind;
}

function addressesOf(l: Listener): readonly Address[] {
  const out: Address[] = [];
  if (l.address !== undefined) out.push(l.address);
  for (const a of l.additionalAddresses ?? []) out.push(a.address);
  return out;
}

function sameIp(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value;
}

function isAny(address: string, family: 4 | 6): boolean {
  const ip = parseIp(address);
  return ip !== undefined && ip.family === family && ip.value === 0n;
}

function boundTo(l: Listener, pred: (address: string, port: number) => boolean): boolean {
  return addressesOf(l).some(
    (a) => a.socketAddress !== undefined && pred(a.socketAddress.address, a.socketAddress.portValue ?? 0),
  );
}

/**
 * The listener registered for `address:port` as Envoy's connection handler looks it up: an exact IP:port
 * match first, then the wildcard address of the same family with that port. `bindingOnly` restricts the
 * search to listeners that own a socket (`bind_to_port` not false).
 */
export function findListenerByAddress(
  listeners: readonly Listener[],
  address: string,
  port: number,
  bindingOnly = false,
): { listener: Listener; exact: boolean } | undefined {
  const family = parseIp(address)?.family ?? 4;
  const eligible = bindingOnly ? listeners.filter((l) => l.bindToPort !== false) : listeners;
  const exact = eligible.find((l) => boundTo(l, (a, p) => p === port && sameIp(a, address)));
  if (exact !== undefined) return { listener: exact, exact: true };
  const wildcard = eligible.find((l) => boundTo(l, (a, p) => p === port && isAny(a, family)));
  return wildcard === undefined ? undefined : { listener: wildcard, exact: false };
}

/**
 * The listener serving a connection to `address:port`. With `capturePort`, the connection was redirected
 * by iptables to that port first (sidecar mode); without, it arrives as addressed (gateway mode).
 */
export function selectListener(
  listeners: readonly Listener[],
  address: string,
  port: number,
  capturePort?: number,
): ListenerSelection {
  if (capturePort === undefined) {
    const hit = findListenerByAddress(listeners, address, port, true);
    return hit === undefined ? {} : { listener: hit.listener, kind: 'bound' };
  }
  const accepting = findListenerByAddress(listeners, '0.0.0.0', capturePort, true)?.listener;
  if (accepting === undefined) return {};
  if (accepting.useOriginalDst !== true) return { listener: accepting, kind: 'capture' };
  const target = findListenerByAddress(listeners, address, port);
  if (target === undefined || target.listener === accepting) return { listener: accepting, kind: 'capture' };
  return {
    listener: target.listener,
    acceptedBy: accepting,
    kind: target.exact ? 'handoff_exact' : 'handoff_wildcard',
  };
}
