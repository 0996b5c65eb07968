/**
 * `-m mark` and `-m connmark` (kernel net/netfilter/xt_mark.c `mark_mt`, xt_connmark.c `connmark_mt`):
 * `(mark & mask) == value`, negatable, on the packet's `skb->mark` or its connection's `ct->mark`.
 */
import { fail, hex, parseMarkMask, type MatchModule, type OptionSpec } from '../extension.js';
import type { MarkMatch } from '../model.js';
import type { PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [{ name: 'mark', hasArg: true, invertible: true }];

function makeModule(name: 'mark' | 'connmark'): MatchModule<MarkMatch> {
  const read = name === 'mark' ? (p: PacketState) => p.mark : (p: PacketState) => p.ct.mark;
  return {
    name,
    options: OPTIONS,
    parse(uses, ctx): MarkMatch {
      const what = `-m ${name}`;
      if (uses.length !== 1) fail(ctx.where, what, '--mark value[/mask] is required exactly once');
      const u = uses[0]!;
      const mm = parseMarkMask(u.value);
      if (mm === undefined) fail(ctx.where, what, `bad mark "${u.value}" (value[/mask], decimal or 0x hex)`);
      return { module: name, value: mm.value, mask: mm.mask, invert: u.invert };
    },
    save(m: MarkMatch): string[] {
      // libxt_mark print_mark: the mask is shown only when it is not 0xffffffff.
      const v = m.mask === 0xffffffff ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`;
      return ['-m', name, ...(m.invert ? ['!'] : []), '--mark', v];
    },
    compile(m: MarkMatch) {
      const { value, mask, invert } = m;
      return (p: PacketState): boolean => ((read(p) & mask) >>> 0 === value) !== invert;
    },
    observe(_m: MarkMatch, p: PacketState): string {
      return `${name} ${hex(read(p))}`;
    },
  };
}

/** `-m mark`. */
export const markMatch: MatchModule<MarkMatch> = makeModule('mark');
/** `-m connmark`. */
export const connmarkMatch: MatchModule<MarkMatch> = makeModule('connmark');
