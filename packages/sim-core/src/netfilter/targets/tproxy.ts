/**
 * `-j TPROXY --on-port P [--on-ip A] [--tproxy-mark v[/m]]` (kernel net/netfilter/xt_TPROXY.c
 * `tproxy_tg4`, iptables extensions/libxt_TPROXY.c). Unlike REDIRECT it leaves the packet's destination
 * alone: it assigns the packet to the transparent listener on `A:P` (A defaults to the incoming
 * interface's primary address, `nf_tproxy_laddr4`) and sets the mark, which policy routing
 * (`ip rule fwmark 1337 lookup 133`, `ip route local default dev lo table 133`, set up by istio-iptables)
 * turns into local delivery. Envoy then reads the original destination with getsockname().
 */
import { formatEndpoint, formatIp, parseIp } from '../addr.js';
import { fail, hex, parseMarkMask, parseUint, type TargetModule } from '../extension.js';
import type { Target } from '../model.js';

type Tproxy = Extract<Target, { kind: 'TPROXY' }>;

/** `-j TPROXY`. */
export const tproxyTarget: TargetModule<Tproxy> = {
  name: 'TPROXY',
  options: [
    { name: 'on-port', hasArg: true, invertible: false },
    { name: 'on-ip', hasArg: true, invertible: false },
    { name: 'tproxy-mark', hasArg: true, invertible: false },
  ],
  table: 'mangle',
  hooks: ['PREROUTING'],
  protocols: [6, 17],
  parse(uses, ctx): Tproxy {
    const what = '-j TPROXY';
    const get = (n: string) => uses.find((u) => u.name === n);
    const portUse = get('on-port');
    if (portUse === undefined) fail(ctx.where, what, '--on-port is required');
    const onPort = parseUint(portUse.value, 65535);
    if (onPort === undefined) fail(ctx.where, what, `bad port "${portUse.value}"`);
    const ipUse = get('on-ip');
    const onIp = ipUse === undefined ? undefined : parseIp(ipUse.value);
    if (ipUse !== undefined && (onIp === undefined || onIp.family !== ctx.family))
      fail(ctx.where, what, `bad address "${ipUse.value}"`);
    const markUse = get('tproxy-mark');
    const mm = markUse === undefined ? { value: 0, mask: 0 } : parseMarkMask(markUse.value);
    if (mm === undefined) fail(ctx.where, what, `bad mark "${markUse?.value}"`);
    if (ctx.protocol === undefined || ctx.protocol.invert || ![6, 17].includes(ctx.protocol.number)) {
      fail(ctx.where, what, 'can be used only with -p tcp or -p udp');
    }
    // An all-zero --on-ip is the same as none: the kernel then uses the incoming interface's address.
    const set = onIp !== undefined && onIp.words.some((w) => w !== 0);
    return { kind: 'TPROXY', onPort, mark: mm.value, mask: mm.mask, ...(set ? { onIp } : {}) };
  },
  // libxt_TPROXY tproxy_tg_save4/6 (revision 1) always prints --on-ip, 0.0.0.0 (::) when unset.
  save: (t, family = 4) => [
    '--on-port',
    `${t.onPort}`,
    '--on-ip',
    t.onIp ? formatIp(t.onIp) : family === 4 ? '0.0.0.0' : '::',
    '--tproxy-mark',
    `${hex(t.mark)}/${hex(t.mask)}`,
  ],
  run(t, p, ctx) {
    const ip = t.onIp ?? (p.inIface === null ? undefined : ctx.primaryAddress(p.inIface)) ?? p.dst;
    p.mark = ((p.mark & ~t.mask) ^ t.mark) >>> 0;
    p.tproxy = { ip, port: t.onPort === 0 ? p.dport : t.onPort };
    return 'ACCEPT';
  },
  describe: (_t, p) =>
    `TPROXY to the listener on ${p.tproxy ? formatEndpoint(p.tproxy.ip, p.tproxy.port) : '?'}, mark ${hex(p.mark)}`,
};
