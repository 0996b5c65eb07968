/**
 * Splitting command lines into arguments: `iptables-restore` lines (double quotes with backslash escapes,
 * nothing else) and POSIX-shell-like argument strings (for `istio-iptables` arguments typed by a user).
 */
import { ConfigError, type SourceLocation } from '../errors.js';

/**
 * Splits one `iptables-restore` line as iptables' `add_param_to_argv` (iptables/xshared.c) does: blanks
 * separate arguments; `"..."` groups, with `\"` and `\\` escapes inside; a closing quote ends the
 * argument (so `""` is an empty argument). Single quotes are ordinary characters.
 */
export function splitRestoreLine(line: string, where: SourceLocation = {}): string[] {
  const out: string[] = [];
  let buf = '';
  let quoteOpen = false;
  let escaped = false;
  let pending = false; // a quote was seen, so even an empty buffer is an argument
  for (const ch of line) {
    if (quoteOpen) {
      if (escaped) {
        buf += ch;
        escaped = false;
      } else if (ch === '\\') {
        escaped = true;
      } else if (ch === '"') {
        quoteOpen = false;
        out.push(buf);
        buf = '';
        pending = false;
      } else {
        buf += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoteOpen = true;
      pending = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (buf !== '' || pending) out.push(buf);
      buf = '';
      pending = false;
      continue;
    }
    buf += ch;
  }
  if (quoteOpen) throw new ConfigError('unterminated quote', where, 'iptables-restore');
  if (buf !== '' || pending) out.push(buf);
  return out;
}

/** Quotes an argument for an `iptables-restore` line when needed (blanks, quotes, backslashes, empty). */
export function quoteRestoreArg(arg: string): string {
  if (arg !== '' && !/[\s"\\]/.test(arg)) return arg;
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Splits a shell-like argument string: blanks separate words; `'...'` is literal; `"..."` allows `\"`,
 * `\\`, `\$` and `` \` `` escapes; a backslash outside quotes escapes the next character. `''` and `""`
 * give empty words (as in `-x ""`). No expansion of any kind is performed.
 */
export function splitShellWords(text: string): string[] {
  const out: string[] = [];
  let buf = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ConfigError('unterminated single quote in arguments', {}, 'usage');
      buf += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i] as string;
        if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) {
          buf += text[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          buf += c;
          i++;
        }
      }
      if (!closed) throw new ConfigError('unterminated double quote in arguments', {}, 'usage');
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      buf += text[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(buf);
      buf = '';
      inWord = false;
      i++;
    } else {
      buf += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(buf);
  return out;
}
