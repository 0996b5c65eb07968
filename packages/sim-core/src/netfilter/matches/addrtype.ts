/**
 * `-m addrtype` (kernel net/netfilter/xt_addrtype.c revision 1, iptables extensions/libxt_addrtype.c): the
 * routing type of the source or destination address. meshsim's namespaces have a local table (their own
 * addresses and 127.0.0.0/8), multicast and broadcast ranges, and a default route, so an address is
 * LOCAL, MULTICAST, BROADCAST or UNICAST. kube-proxy uses `--dst-type LOCAL` to find NodePort traffic.
 */
import type { IpAddress } from '../addr.js';
import { fail, type MatchModule, type OptionSpec } from '../extension.js';
import type { AddrType, AddrTypeMatch, Negatable } from '../model.js';
import type { PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'src-type', hasArg: true, invertible: true },
  { name: 'dst-type', hasArg: true, invertible: true },
  { name: 'limit-iface-in', hasArg: false, invertible: false },
  { name: 'limit-iface-out', hasArg: false, invertible: false },
];

/** The RTN_* types in kernel order (libxt_addrtype `rtn_names`), which is also the save order. */
const TYPES: readonly AddrType[] = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

function parseTypes(text: string): AddrType[] | undefined {
  const out: AddrType[] = [];
  for (const t of text.split(',')) {
    const u = t.toUpperCase() as AddrType;
    if (!TYPES.includes(u)) return undefined;
    if (!out.includes(u)) out.push(u);
  }
  return TYPES.filter((t) => out.includes(t));
}

/** The route type of `ip` in a pod or node namespace. */
export function addressType(ip: IpAddress, isLocal: (ip: IpAddress) => boolean): AddrType {
  if (isLocal(ip)) return 'LOCAL';
  const w0 = ip.words[0] as number;
  if (ip.family === 4) {
    if (w0 >>> 28 === 0xe) return 'MULTICAST';
    if (w0 === 0xffffffff) return 'BROADCAST';
    return 'UNICAST';
  }
  return w0 >>> 24 === 0xff ? 'MULTICAST' : 'UNICAST';
}

/** `-m addrtype`. */
export const addrtypeMatch: MatchModule<AddrTypeMatch> = {
  name: 'addrtype',
  options: OPTIONS,
  parse(uses, ctx): AddrTypeMatch {
    const what = '-m addrtype';
    let srcType: Negatable<readonly AddrType[]> | undefined;
    let dstType: Negatable<readonly AddrType[]> | undefined;
    for (const u of uses) {
      if (u.name === 'limit-iface-in' || u.name === 'limit-iface-out') {
        fail(ctx.where, what, `--${u.name} is not modelled by meshsim`);
      }
      const types = parseTypes(u.value);
      if (types === undefined) fail(ctx.where, what, `unknown address type in "${u.value}" (use ${TYPES.join(', ')})`);
      if (u.name === 'src-type') {
        if (srcType) fail(ctx.where, what, '--src-type given more than once');
        srcType = { value: types, invert: u.invert };
      } else {
        if (dstType) fail(ctx.where, what, '--dst-type given more than once');
        dstType = { value: types, invert: u.invert };
      }
    }
    if (!srcType && !dstType) fail(ctx.where, what, 'one of --src-type or --dst-type is required');
    return {
      module: 'addrtype',
      limitIfaceIn: false,
      limitIfaceOut: false,
      ...(srcType ? { srcType } : {}),
      ...(dstType ? { dstType } : {}),
    };
  },
  save(m: AddrTypeMatch): string[] {
    const out = ['-m', 'addrtype'];
    if (m.srcType) out.push(...(m.srcType.invert ? ['!'] : []), '--src-type', m.srcType.value.join(','));
    if (m.dstType) out.push(...(m.dstType.invert ? ['!'] : []), '--dst-type', m.dstType.value.join(','));
    return out;
  },
  compile(m: AddrTypeMatch) {
    const { srcType, dstType } = m;
    return (p: PacketState): boolean => {
      if (srcType && srcType.value.includes(addressType(p.src, p.isLocal)) === srcType.invert) return false;
      if (dstType && dstType.value.includes(addressType(p.dst, p.isLocal)) === dstType.invert) return false;
      return true;
    };
  },
  observe(m: AddrTypeMatch, p: PacketState): string {
    const parts: string[] = [];
    if (m.srcType) parts.push(`source is ${addressType(p.src, p.isLocal)}`);
    if (m.dstType) parts.push(`destination is ${addressType(p.dst, p.isLocal)}`);
    return parts.join(', ');
  },
};
