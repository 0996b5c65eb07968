/**
 * `-m statistic` (kernel net/netfilter/xt_statistic.c `statistic_mt`, iptables extensions/libxt_statistic.c).
 *
 * random: userspace stores `lround(0x80000000 · p)`; the kernel matches when
 * `(get_random_u32() & 0x7FFFFFFF) < threshold`. So `--probability 0.3333333333` (kube-proxy's `%0.10f`)
 * becomes 715827883/2^31, which iptables-save prints back with `%.11f` as `0.33333333349`.
 *
 * nth: userspace stores `every − 1` and starts the shared counter at `every − 1 − packet`; each packet
 * advances it modulo `every` and the match fires when it wraps to 0 — the first packet when `--packet 0`.
 * The counter lives in the loaded rule (kernel `info->master`), so it belongs to the compiled ruleset.
 */
import { fail, parseUint, type MatchModule, type OptionSpec } from '../extension.js';
import type { StatisticMatch } from '../model.js';
import { Reads, type PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'mode', hasArg: true, invertible: false },
  { name: 'probability', hasArg: true, invertible: true },
  { name: 'every', hasArg: true, invertible: true },
  { name: 'packet', hasArg: true, invertible: false },
];

const TWO_31 = 0x80000000;

/** The kernel's threshold for a probability: `lround(0x80000000 * p)` (libxt_statistic `statistic_parse`). */
export function probabilityThreshold(p: number): number {
  return Math.floor(TWO_31 * p + 0.5); // lround for p ≥ 0: halves away from zero
}

/** The probability the kernel actually applies for a threshold. */
export const thresholdProbability = (threshold: number): number => threshold / TWO_31;

/** `-m statistic`. */
export const statisticMatch: MatchModule<StatisticMatch> = {
  name: 'statistic',
  options: OPTIONS,
  parse(uses, ctx): StatisticMatch {
    const what = '-m statistic';
    const get = (n: string) => uses.filter((u) => u.name === n);
    const [mode, ...moreModes] = get('mode');
    if (mode === undefined || moreModes.length > 0) fail(ctx.where, what, '--mode random|nth is required exactly once');
    const prob = get('probability');
    const every = get('every');
    const packet = get('packet');
    if (mode.value === 'random') {
      if (prob.length !== 1 || every.length > 0 || packet.length > 0) {
        fail(ctx.where, what, '--probability must be specified (once) when using random mode');
      }
      const u = prob[0]!;
      const p = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(u.value) ? Number(u.value) : NaN;
      if (!(p >= 0 && p <= 1)) fail(ctx.where, what, `--probability "${u.value}" is not a number in [0, 1]`);
      return { module: 'statistic', mode: 'random', probability: probabilityThreshold(p), invert: u.invert };
    }
    if (mode.value === 'nth') {
      if (prob.length > 0 || every.length !== 1 || packet.length > 1) {
        fail(ctx.where, what, '--every (and optionally --packet) must be specified when using nth mode');
      }
      const e = every[0]!;
      const n = parseUint(e.value, 0xffffffff);
      if (n === undefined || n < 1) fail(ctx.where, what, `--every "${e.value}" must be an integer ≥ 1`);
      const pk = packet[0] === undefined ? 0 : parseUint(packet[0].value, 0xffffffff);
      if (pk === undefined || pk > n - 1) fail(ctx.where, what, 'the --packet p must be 0 <= p <= n-1');
      return { module: 'statistic', mode: 'nth', every: n, packet: pk, invert: e.invert };
    }
    return fail(ctx.where, what, `bad mode "${mode.value}" (random or nth)`);
  },
  save(m: StatisticMatch): string[] {
    const inv = m.invert ? ['!'] : [];
    if (m.mode === 'random') {
      return [
        '-m',
        'statistic',
        '--mode',
        'random',
        ...inv,
        '--probability',
        thresholdProbability(m.probability).toFixed(11),
      ];
    }
    return [
      '-m',
      'statistic',
      '--mode',
      'nth',
      ...inv,
      '--every',
      `${m.every}`,
      ...(m.packet ? ['--packet', `${m.packet}`] : []),
    ];
  },
  compile(m: StatisticMatch) {
    if (m.mode === 'random') {
      const threshold = m.probability;
      const invert = m.invert;
      return (p: PacketState): boolean => {
        p.reads |= Reads.STATEFUL;
        // get_random_u32() & 0x7FFFFFFF: the low 31 bits of a uniform draw.
        return p.random.random() % TWO_31 < threshold !== invert;
      };
    }
    const every = m.every - 1;
    let count = every - m.packet;
    const invert = m.invert;
    return (p: PacketState): boolean => {
      p.reads |= Reads.STATEFUL;
      count = count === every ? 0 : count + 1;
      return (count === 0) !== invert;
    };
  },
  observe(m: StatisticMatch): string {
    return m.mode === 'random' ? 'random draw above the threshold' : 'not this packet of the cycle';
  },
};
