import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { assertInlineSafe, escapeHtml, jsonForScript } from './escape.js';

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom('</script>', '<!--', '<script>alert(1)</script>', '\u2028\u2029', '"\'&<>', '</SCRIPT >'),
);

describe('escapeHtml()', () => {
  test.prop([hostile])('leaves no markup character and reads back as the text', (s) => {
    const e = escapeHtml(s);
    expect(e).not.toMatch(/[<>"']/);
    expect(unescape(e)).toBe(s);
  });
});

describe('jsonForScript()', () => {
  test.prop([fc.jsonValue(), fc.array(hostile)])(
    'never contains <, >, &, U+2028 or U+2029, and parses back to the value',
    (v, strings) => {
      const value = { v, strings };
      const text = jsonForScript(value);
      expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    },
  );
});

describe('assertInlineSafe()', () => {
  it('refuses code that would end its element or open a comment', () => {
    expect(() => assertInlineSafe('var a = "</script>"', 'script')).toThrow(/cannot be embedded/);
    expect(() => assertInlineSafe('a { } </STYLE>', 'style')).toThrow();
    expect(() => assertInlineSafe('x = 1 <!-- y', 'script')).toThrow();
    expect(() => assertInlineSafe('if (a < b) c()', 'script')).not.toThrow();
  });
});
