/**
 * Escaping for the report's HTML. Every string that reaches the page from a manifest, a scenario or a
 * result (resource names, hosts, file paths, header values) goes through {@link escapeHtml} when the
 * report is assembled, or through d3's `.text()` when a chart draws it; data reaches the page only as
 * JSON in a non-executed `<script type="application/json">` element, escaped by {@link jsonForScript}.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` as `\u003c`, `\u003e`,
 * `\u0026` (so neither `</script>` nor `<!--` can appear and end or confuse the element — HTML's "script
 * data" states), and U+2028/U+2029 escaped too. `JSON.parse` of the element's text gives the value back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Checks that JavaScript or CSS can be inlined in a `<script>`/`<style>` element: it must not contain
 * the element's end tag or `<!--` (which would change how the HTML parser reads the rest).
 */
export function assertInlineSafe(code: string, element: 'script' | 'style'): void {
  if (new RegExp(`</${element}`, 'i').test(code) || code.includes('<!--')) {
    throw new Error(`inlined ${element} contains "</${element}" or "<!--"; it cannot be embedded as is`);
  }
}
