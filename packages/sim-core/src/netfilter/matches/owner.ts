/**
 * `-m owner` (kernel net/netfilter/xt_owner.c `owner_mt`, iptables extensions/libxt_owner.c revision 1):
 * the fsuid/fsgid of the process that opened the packet's socket. Only locally generated packets have a
 * socket, so the kernel accepts the match only in OUTPUT and POSTROUTING. Supplementary groups match only
 * with `--suppl-groups` — Istio never sets it, so a process with 1337 as a supplementary group is captured.
 */
import { ConfigError } from '../../errors.js';
import { fail, parseUint, type MatchModule, type OptionSpec } from '../extension.js';
import type { Negatable, OwnerId, OwnerMatch } from '../model.js';
import type { PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'uid-owner', hasArg: true, invertible: true },
  { name: 'gid-owner', hasArg: true, invertible: true },
  { name: 'socket-exists', hasArg: false, invertible: true },
  { name: 'suppl-groups', hasArg: false, invertible: false },
];

const ID_MAX = 0xfffffffe; // libxt_owner: ids up to 2^32-2

// libxt_owner: `id`, `min-max`, or a name looked up in /etc/passwd or /etc/group when rules are loaded.
function parseId(text: string): OwnerId | undefined {
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range !== null) {
    const min = parseUint(range[1] as string, ID_MAX);
    const max = parseUint(range[2] as string, ID_MAX);
    return min === undefined || max === undefined || min > max ? undefined : { min, max };
  }
  if (/^\d+$/.test(text)) {
    const n = parseUint(text, ID_MAX);
    return n === undefined ? undefined : { min: n, max: n };
  }
  return /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(text) ? { min: 0, max: 0, name: text } : undefined;
}

const formatId = (id: OwnerId): string => id.name ?? (id.min === id.max ? `${id.min}` : `${id.min}-${id.max}`);

/** `-m owner`. */
export const ownerMatch: MatchModule<OwnerMatch> = {
  name: 'owner',
  options: OPTIONS,
  hooks: ['OUTPUT', 'POSTROUTING'],
  parse(uses, ctx): OwnerMatch {
    const what = '-m owner';
    let uid: Negatable<OwnerId> | undefined;
    let gid: Negatable<OwnerId> | undefined;
    let socketExists: Negatable<true> | undefined;
    let supplGroups = false;
    for (const u of uses) {
      if (u.name === 'uid-owner' || u.name === 'gid-owner') {
        const id = parseId(u.value);
        if (id === undefined) fail(ctx.where, what, `bad owner "${u.value}" for --${u.name}`);
        if (u.name === 'uid-owner') {
          if (uid !== undefined) fail(ctx.where, what, '--uid-owner given more than once');
          uid = { value: id, invert: u.invert };
        } else {
          if (gid !== undefined) fail(ctx.where, what, '--gid-owner given more than once');
          gid = { value: id, invert: u.invert };
        }
      } else if (u.name === 'socket-exists') {
        socketExists = { value: true, invert: u.invert };
      } else {
        supplGroups = true;
      }
    }
    if (supplGroups && gid === undefined) fail(ctx.where, what, '--suppl-groups requires --gid-owner');
    if (!uid && !gid && !socketExists)
      fail(ctx.where, what, 'one of --uid-owner, --gid-owner or --socket-exists is required');
    return {
      module: 'owner',
      supplGroups,
      ...(uid ? { uid } : {}),
      ...(gid ? { gid } : {}),
      ...(socketExists ? { socketExists } : {}),
    };
  },
  save(m: OwnerMatch): string[] {
    // owner_mt_save prints socket-exists, uid, gid, suppl-groups — in that order, ids numerically.
    const out = ['-m', 'owner'];
    if (m.socketExists) out.push(...(m.socketExists.invert ? ['!'] : []), '--socket-exists');
    if (m.uid) out.push(...(m.uid.invert ? ['!'] : []), '--uid-owner', formatId(m.uid.value));
    if (m.gid) out.push(...(m.gid.invert ? ['!'] : []), '--gid-owner', formatId(m.gid.value));
    if (m.supplGroups) out.push('--suppl-groups');
    return out;
  },
  compile(m: OwnerMatch, env, where) {
    const resolve = (id: OwnerId, table: Readonly<Record<string, number>>, kind: 'user' | 'group'): OwnerId => {
      if (id.name === undefined) return id;
      const n = Object.prototype.hasOwnProperty.call(table, id.name) ? table[id.name] : undefined;
      if (n === undefined) {
        throw new ConfigError(
          `-m owner: unknown ${kind} "${id.name}" (iptables resolves names when the rules are loaded, in the ` +
            `istio-init image; use the numeric id or declare the ${kind})`,
          where,
          'iptables',
        );
      }
      return { min: n, max: n };
    };
    const uid = m.uid ? { value: resolve(m.uid.value, env.users, 'user'), invert: m.uid.invert } : undefined;
    const gid = m.gid ? { value: resolve(m.gid.value, env.groups, 'group'), invert: m.gid.invert } : undefined;
    const socketExists = m.socketExists;
    const suppl = m.supplGroups;
    // info->match and info->invert as bit sets: all options given vs the negated ones.
    const allInverted = (!uid || uid.invert) && (!gid || gid.invert) && (!socketExists || socketExists.invert);
    return (p: PacketState): boolean => {
      const s = p.socket;
      if (s === null) return allInverted; // no socket: (info->match ^ info->invert) == 0
      if (socketExists?.invert) return false;
      if (uid) {
        const hit = s.uid >= uid.value.min && s.uid <= uid.value.max;
        if (hit === uid.invert) return false;
      }
      if (gid) {
        let hit = s.gid >= gid.value.min && s.gid <= gid.value.max;
        if (!hit && suppl && s.groups) hit = s.groups.some((g) => g >= gid.value.min && g <= gid.value.max);
        if (hit === gid.invert) return false;
      }
      return true;
    };
  },
  observe(_m: OwnerMatch, p: PacketState): string {
    return p.socket === null ? 'no local socket' : `uid ${p.socket.uid}, gid ${p.socket.gid}`;
  },
};
