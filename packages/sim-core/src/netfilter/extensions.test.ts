import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../engine/rng.js';
import { parseIp, type IpAddress } from './addr.js';
import { compileRuleset } from './compile.js';
import { probabilityThreshold, thresholdProbability } from './matches/statistic.js';
import { nodeNamespace, podNamespace } from './namespaces.js';
import { parseRestore } from './restore.js';
import { applyRestore } from './ruleset.js';

const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const ns = (text: string, random?: ReturnType<typeof fixedRandom>) =>
  podNamespace('10.244.1.5', {
    rules: compileRuleset(applyRestore(undefined, parseRestore(text))),
    ...(random ? { random } : {}),
  });
const send = (n: ReturnType<typeof ns>, uid = 0, gid = 0, dport = 80) =>
  n.output({ protocol: 6, dst: ip('10.0.0.9'), dport, owner: { uid, gid } }, { trace: true, track: false });

describe('match and target semantics', () => {
  it('statistic random: matches when the low 31 bits of the draw are below lround(2^31·p)', () => {
    const t = probabilityThreshold(0.3333333333);
    expect(t).toBe(715827883);
    expect(thresholdProbability(t).toFixed(11)).toBe('0.33333333349');
    const text = '*filter\n-A OUTPUT -m statistic --mode random --probability 0.3333333333 -j DROP\nCOMMIT';
    // Upper bits are masked off: 2^31 + (t − 1) still matches, t does not.
    const r = fixedRandom([2 ** 31 + t - 1, t]);
    const n = ns(text, r);
    expect(send(n).verdict).toBe('drop');
    expect(send(n).verdict).toBe('pass');
    expect(r.drawn).toBe(2);
  });

  test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 5 }), fc.boolean()])(
    'statistic nth: --every n --packet p matches packets p, p+n, p+2n… (negated: all others)',
    (every, p, invert) => {
      fc.pre(p < every);
      const n = ns(
        `*filter\n-A OUTPUT -m statistic --mode nth ${invert ? '! ' : ''}--every ${every} --packet ${p} -j DROP\nCOMMIT`,
      );
      for (let k = 0; k < 3 * every; k++) {
        const hit = k % every === p;
        expect(send(n).verdict).toBe(hit !== invert ? 'drop' : 'pass');
      }
    },
  );

  it('owner: a packet without a socket matches only when every given option is negated', () => {
    const text =
      '*mangle\n-A POSTROUTING -m owner --uid-owner 1337 -j MARK --set-xmark 0x1/0x1\n-A POSTROUTING -m owner ! --uid-owner 1337 -j MARK --set-xmark 0x2/0x2\nCOMMIT';
    const n = ns(text);
    // A forwarded packet has no socket: only the negated rule matches (xt_owner owner_mt).
    const node = nodeNamespace('192.168.0.10', { rules: compileRuleset(applyRestore(undefined, parseRestore(text))) });
    const fwd = node.input({ protocol: 6, src: ip('10.0.0.9'), sport: 1, dst: ip('10.0.0.20'), dport: 80 });
    expect(fwd.delivered).toBe('out');
    expect(fwd.mark).toBe(0x2);
    expect(send(n, 1337).mark).toBe(0x1);
    expect(send(n, 0).mark).toBe(0x2);
  });

  it('MARK forms are (mark & ~mask) ^ value; CONNMARK saves and restores through the connection', () => {
    const text = [
      '*mangle',
      '-A OUTPUT -j MARK --set-mark 0xff',
      '-A OUTPUT -j MARK --and-mark 0xf0',
      '-A OUTPUT -j MARK --or-mark 0x1',
      '-A OUTPUT -j MARK --xor-mark 0x3',
      '-A OUTPUT -j CONNMARK --save-mark',
      '-A OUTPUT -j MARK --set-xmark 0x0/0xffffffff',
      '-A OUTPUT -j CONNMARK --restore-mark',
      'COMMIT',
    ].join('\n');
    expect(send(ns(text)).mark).toBe(((0xff & 0xf0) | 0x1) ^ 0x3);
  });

  it('addrtype --dst-type LOCAL matches the namespace’s own addresses and 127.0.0.0/8', () => {
    const n = ns('*nat\n-A OUTPUT -m addrtype --dst-type LOCAL -p tcp -j REDIRECT --to-ports 9\nCOMMIT');
    const to = (d: string) =>
      n.output({ protocol: 6, dst: ip(d), dport: 80, owner: { uid: 0, gid: 0 } }, { track: false }).localPort;
    expect(to('10.244.1.5')).toBe(9);
    expect(to('127.0.0.2')).toBe(9);
    expect(to('10.0.0.9')).toBeUndefined();
  });

  it('conntrack --ctstate DNAT is set once nat has rewritten the destination', () => {
    const text =
      '*nat\n-A OUTPUT -p tcp -j DNAT --to-destination 10.0.1.1:8080\nCOMMIT\n*filter\n-A OUTPUT -m conntrack --ctstate DNAT -j DROP\nCOMMIT';
    expect(send(ns(text)).verdict).toBe('drop');
  });

  it('goto does not come back: RETURN from a goto target returns to the caller of the chain that jumped', () => {
    const text =
      '*filter\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A OUTPUT -j DROP\n-A A -g B\n-A A -j ACCEPT\n-A B -j RETURN\nCOMMIT';
    const o = send(ns(text));
    expect(o.verdict).toBe('drop'); // B returns to OUTPUT (after -j A), skipping A's ACCEPT
    expect(o.hops.map((h) => h.verdict)).toEqual(['jump A', 'goto B', 'RETURN', 'DROP']);
  });
});
