/**
 * The netfilter side of a workload: the rules `istio-init` installs in a pod (built from its own
 * arguments by netfilter/istio) with a per-connection-class decision cache, so the first packet of each
 * new connection is decided by the kernel's real traversal once per class. A VM's agent installs the same
 * rules with the default arguments; a pod without `istio-init` (no sidecar, CNI mode, a gateway) has none.
 */
import { parseIp } from '../../netfilter/addr.js';
import { CaptureCache } from '../../netfilter/decisionCache.js';
import { parseIstioIptablesArgs } from '../../netfilter/istio/args.js';
import { buildIstioRules } from '../../netfilter/istio/capture.js';
import { istioPodNamespace } from '../../netfilter/namespaces.js';
import { INJECTED_ISTIO_IPTABLES_ARGS } from '../../netfilter/istio/constants.js';
import { IPPROTO } from '../../netfilter/packet.js';
import type { IptablesInvocation } from '../../istio/model/injection/iptablesArgs.js';

/** Where a connection goes after the pod's netfilter rules. */
export interface CaptureVerdict {
  /** The Envoy port the connection is redirected to (15001 out, 15006 in); undefined: not captured. */
  readonly port: number | undefined;
  /** The chains that decided, for traces (`OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT`). */
  readonly path: string;
}

const NOT_CAPTURED_OUT: CaptureVerdict = { port: undefined, path: 'OUTPUT: not captured' };
const NOT_CAPTURED_IN: CaptureVerdict = { port: undefined, path: 'PREROUTING: not captured' };

/** The default `istio-iptables` arguments of the injection template (used for VMs). */
export const DEFAULT_ISTIO_IPTABLES_ARGS: readonly string[] = ['istio-iptables', ...INJECTED_ISTIO_IPTABLES_ARGS];

/** A workload's capture rules with their decision cache. */
export class PodCapture {
  readonly ip: string;
  private readonly cache: CaptureCache | undefined;
  private readonly out = new Map<string, CaptureVerdict>();
  private readonly inbound = new Map<string, CaptureVerdict>();

  /** `invocation` undefined: no istio-init rules (nothing is captured). */
  constructor(ip: string, invocation: IptablesInvocation | undefined) {
    this.ip = ip;
    if (invocation === undefined) {
      this.cache = undefined;
      return;
    }
    const cfg = parseIstioIptablesArgs(invocation.args, { env: invocation.env, nameservers: invocation.dnsServers });
    this.cache = new CaptureCache(istioPodNamespace(buildIstioRules(cfg), ip));
  }

  /** Whether the workload has capture rules at all. */
  get enabled(): boolean {
    return this.cache !== undefined;
  }

  /**
   * A TCP connection the workload opens to `dst:port` as `uid` from source address `src` (default: the
   * route's). The app's connections are redirected to 15001; Envoy's (uid 1337) are not — except to its
   * own pod address, which `ISTIO_OUTPUT` sends to 15006 unless bound to 127.0.0.6 (inbound clusters).
   */
  outbound(dst: string, port: number, uid: number, src?: string): CaptureVerdict {
    const cache = this.cache;
    if (cache === undefined) return NOT_CAPTURED_OUT;
    const key = `${dst}:${port}:${uid}:${src ?? ''}`;
    let v = this.out.get(key);
    if (v === undefined) {
      const ip = parseIp(dst);
      const from = src === undefined ? undefined : parseIp(src);
      if (ip === undefined) v = NOT_CAPTURED_OUT;
      else {
        const d = cache.decide({
          direction: 'out',
          protocol: IPPROTO.TCP,
          dst: ip,
          dport: port,
          uid,
          gid: uid,
          ...(from !== undefined ? { src: from } : {}),
        });
        v =
          d.verdict === 'local' && d.localPort !== undefined && d.localPort !== port
            ? { port: d.localPort, path: `OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT → :${d.localPort}` }
            : { port: undefined, path: `OUTPUT: ${d.verdict}` };
      }
      this.out.set(key, v);
    }
    return v;
  }

  /** A TCP connection from `src` to the workload's `port`. */
  inboundFrom(src: string, port: number): CaptureVerdict {
    const cache = this.cache;
    if (cache === undefined) return NOT_CAPTURED_IN;
    const key = `${src}:${port}`;
    let v = this.inbound.get(key);
    if (v === undefined) {
      const s = parseIp(src);
      const d = parseIp(this.ip);
      if (s === undefined || d === undefined) v = NOT_CAPTURED_IN;
      else {
        const o = cache.decide({ direction: 'in', protocol: IPPROTO.TCP, src: s, dst: d, dport: port });
        v =
          o.verdict === 'local' && o.localPort !== undefined && o.localPort !== port
            ? { port: o.localPort, path: `PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT → :${o.localPort}` }
            : { port: undefined, path: `PREROUTING: ${o.verdict}` };
      }
      this.inbound.set(key, v);
    }
    return v;
  }
}
