/**
 * `-j MARK` and `-j CONNMARK` (kernel net/netfilter/xt_mark.c `mark_tg`, xt_connmark.c `connmark_tg`;
 * iptables extensions/libxt_MARK.c, libxt_CONNMARK.c). Every MARK form is the kernel's
 * `mark = (mark & ~mask) ^ value`; iptables-save prints it back as `--set-xmark value/mask`.
 */
import { fail, hex, parseMarkMask, parseUint, type OptionUse, type TargetModule } from '../extension.js';
import type { Target } from '../model.js';

type Mark = Extract<Target, { kind: 'MARK' }>;
type Connmark = Extract<Target, { kind: 'CONNMARK' }>;

const u32 = (n: number): number => n >>> 0;

/** `-j MARK --set-xmark|--set-mark|--and-mark|--or-mark|--xor-mark`. */
export const markTarget: TargetModule<Mark> = {
  name: 'MARK',
  options: ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'].map((name) => ({
    name,
    hasArg: true,
    invertible: false,
  })),
  parse(uses, ctx): Mark {
    const what = '-j MARK';
    if (uses.length !== 1)
      fail(ctx.where, what, 'exactly one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark is required');
    const u = uses[0]!;
    if (u.name === 'set-xmark' || u.name === 'set-mark') {
      const mm = parseMarkMask(u.value);
      if (mm === undefined) fail(ctx.where, what, `bad mark "${u.value}"`);
      // libxt_MARK mark_tg_parse: --set-mark v/m is --set-xmark v/(m|v).
      return { kind: 'MARK', value: mm.value, mask: u.name === 'set-mark' ? u32(mm.mask | mm.value) : mm.mask };
    }
    const bits = parseUint(u.value, 0xffffffff);
    if (bits === undefined) fail(ctx.where, what, `bad mark "${u.value}"`);
    if (u.name === 'and-mark') return { kind: 'MARK', value: 0, mask: u32(~bits) };
    if (u.name === 'or-mark') return { kind: 'MARK', value: bits, mask: bits };
    return { kind: 'MARK', value: bits, mask: 0 };
  },
  save: (t) => ['--set-xmark', `${hex(t.value)}/${hex(t.mask)}`],
  run(t, p) {
    p.mark = u32((p.mark & ~t.mask) ^ t.value);
    return 'CONTINUE';
  },
  describe: (_t, p) => `mark is now ${hex(p.mark)}`,
};

const maskOf = (uses: readonly OptionUse[], name: string): number | undefined => {
  const u = uses.find((x) => x.name === name);
  return u === undefined ? 0xffffffff : parseUint(u.value, 0xffffffff);
};

/** `-j CONNMARK --set-xmark|--set-mark|--save-mark|--restore-mark [--nfmask m] [--ctmask m]`. */
export const connmarkTarget: TargetModule<Connmark> = {
  name: 'CONNMARK',
  options: [
    'set-xmark',
    'set-mark',
    'save-mark',
    'restore-mark',
    'nfmask',
    'ctmask',
    'mask',
    'and-mark',
    'or-mark',
    'xor-mark',
  ].map((name) => ({ name, hasArg: !['save-mark', 'restore-mark'].includes(name), invertible: false })),
  parse(uses, ctx): Connmark {
    const what = '-j CONNMARK';
    const modes = uses.filter((u) => !['nfmask', 'ctmask', 'mask'].includes(u.name));
    if (modes.length !== 1)
      fail(ctx.where, what, 'exactly one of --set-xmark, --set-mark, --save-mark, --restore-mark is required');
    const u = modes[0]!;
    if (u.name === 'save-mark' || u.name === 'restore-mark') {
      // libxt_CONNMARK connmark_tg_parse: --mask sets both masks.
      const both = uses.some((x) => x.name === 'mask') ? maskOf(uses, 'mask') : undefined;
      const nfmask = both ?? maskOf(uses, 'nfmask');
      const ctmask = both ?? maskOf(uses, 'ctmask');
      if (nfmask === undefined || ctmask === undefined) fail(ctx.where, what, 'bad --nfmask/--ctmask');
      return { kind: 'CONNMARK', mode: u.name === 'save-mark' ? 'save' : 'restore', ctmark: 0, ctmask, nfmask };
    }
    if (uses.length !== 1) fail(ctx.where, what, `--nfmask/--ctmask only apply to --save-mark and --restore-mark`);
    if (u.name === 'set-xmark' || u.name === 'set-mark') {
      const mm = parseMarkMask(u.value);
      if (mm === undefined) fail(ctx.where, what, `bad mark "${u.value}"`);
      const ctmask = u.name === 'set-mark' ? u32(mm.mask | mm.value) : mm.mask;
      return { kind: 'CONNMARK', mode: 'set', ctmark: mm.value, ctmask, nfmask: 0 };
    }
    const bits = parseUint(u.value, 0xffffffff);
    if (bits === undefined) fail(ctx.where, what, `bad mark "${u.value}"`);
    const [ctmark, ctmask] = u.name === 'and-mark' ? [0, u32(~bits)] : u.name === 'or-mark' ? [bits, bits] : [bits, 0];
    return { kind: 'CONNMARK', mode: 'set', ctmark, ctmask, nfmask: 0 };
  },
  save(t) {
    if (t.mode === 'set') return ['--set-xmark', `${hex(t.ctmark)}/${hex(t.ctmask)}`];
    return [t.mode === 'save' ? '--save-mark' : '--restore-mark', '--nfmask', hex(t.nfmask), '--ctmask', hex(t.ctmask)];
  },
  run(t, p) {
    const ct = p.ct;
    if (t.mode === 'set') ct.mark = u32((ct.mark & ~t.ctmask) ^ t.ctmark);
    else if (t.mode === 'save') ct.mark = u32((ct.mark & ~t.ctmask) ^ (p.mark & t.nfmask));
    else p.mark = u32((p.mark & ~t.nfmask) ^ (ct.mark & t.ctmask));
    return 'CONTINUE';
  },
  describe: (t, p) => (t.mode === 'restore' ? `mark is now ${hex(p.mark)}` : `connmark is now ${hex(p.ct.mark)}`),
};
