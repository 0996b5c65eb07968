/**
 * `-m comment --comment TEXT` (xt_comment): always matches; kube-proxy names every rule with it. Saved with
 * libxtables' `xtables_save_string` quoting (bare only when made of `[A-Za-z0-9_-]`).
 */
import { fail, type MatchModule, type OptionSpec } from '../extension.js';
import type { CommentMatch } from '../model.js';

const OPTIONS: readonly OptionSpec[] = [{ name: 'comment', hasArg: true, invertible: false }];
const XT_MAX_COMMENT_LEN = 256;

/** `xtables_save_string`: a value needs quotes unless it is non-empty and only `[A-Za-z0-9_-]`. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** `-m comment`. */
export const commentMatch: MatchModule<CommentMatch> = {
  name: 'comment',
  options: OPTIONS,
  parse(uses, ctx): CommentMatch {
    if (uses.length !== 1) fail(ctx.where, '-m comment', '--comment is required exactly once');
    const c = uses[0]!.value;
    if (c.length > XT_MAX_COMMENT_LEN - 1)
      fail(ctx.where, '-m comment', `comment may not exceed ${XT_MAX_COMMENT_LEN - 1} characters`);
    return { module: 'comment', comment: c };
  },
  save(m: CommentMatch): string[] {
    // Returned as one pre-quoted token; the printer writes tokens verbatim.
    return ['-m', 'comment', '--comment', saveString(m.comment)];
  },
  compile() {
    return () => true;
  },
  observe(): string {
    return '';
  },
};
