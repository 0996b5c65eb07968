import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canaryReportInput } from '../testdata/canaryFixture.js';
import { XSS, xssReportInput } from '../testdata/xssFixture.js';
import { DATA_ELEMENT_ID } from './browser/dataElement.js';
import { reportRuntime } from './bundle.js';
import { renderReport } from './renderReport.js';

const canary = canaryReportInput();
const html = renderReport(canary);

/** The text of the first element `<tag …>…</tag>` whose opening tag matches `attrs`. */
function element(page: string, tag: string, attrs = ''): string {
  const m = new RegExp(`<${tag}${attrs}[^>]*>([\\s\\S]*?)</${tag}>`).exec(page);
  if (m === null) throw new Error(`no <${tag}${attrs}>`);
  return m[1] as string;
}

const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('renderReport()', () => {
  it('is deterministic: the same input gives the same bytes', () => {
    expect(renderReport(canaryReportInput())).toBe(html);
  });

  it('is self-contained: one inline script, one inline stylesheet, no URL to fetch', () => {
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON data and the bundled charts
    // The page without its script: no element or style that loads anything.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/, '<script></script>');
    expect(/<script[^>]*\bsrc=/i.test(markup)).toBe(false);
    expect(/<link\b|<img\b|<iframe\b|<object\b|@import|url\(/i.test(markup)).toBe(false);
    expect(markup.match(/href="([^"]*)"/g)?.every((h) => h.startsWith('href="#'))).toBe(true);
    expect(/\b(?:src|href|action|data|poster|srcset)=["']?[a-z]+:/i.test(markup)).toBe(false);
  });

  it('admits only its own script and stylesheet, by hash, and no fetch at all (Content Security Policy)', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp
        .replace(/&#39;/g, "'")
        .split('; ')
        .map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['connect-src']).toBe("'none'");
    expect(directives['script-src']).toBe(hash(element(html, 'script', '(?! type)')));
    expect(directives['style-src']).toBe(hash(element(html, 'style')));
    expect(csp).not.toContain('unsafe');
  });

  it('embeds the data as JSON that parses back to the input', () => {
    const json = element(html, 'script', ` type="application/json" id="${DATA_ELEMENT_ID}"`);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(canary)));
  });

  it('renders the summary tables without scripts, one per variant, plus the comparison', () => {
    expect(html.match(/<table class="summary"/g)).toHaveLength(3);
    expect(html).toContain('<table class="comparison">');
    expect(html).toContain('<caption>v2-at-50: 4,000 requests');
  });

  it('places a chart for each variant side by side in every section', () => {
    for (const kind of ['sankey', 'histogram', 'graph', 'timeline', 'flow']) {
      expect(html.match(new RegExp(`data-chart="${kind}" data-variant="\\d"`, 'g')), kind).toHaveLength(3);
    }
    expect(html).toContain('data-chart="cdf-all"');
  });

  it('refuses a report without variants or with two of the same name', () => {
    expect(() => renderReport({ title: 't', variants: [] }, { runtime: '' })).toThrow(/at least one variant/);
    expect(() =>
      renderReport(
        {
          title: 't',
          variants: [
            { name: 'a', summary: [] },
            { name: 'a', summary: [] },
          ],
        },
        { runtime: '' },
      ),
    ).toThrow(/twice/);
  });
});

describe('renderReport() with markup in every user string', () => {
  const input = xssReportInput();
  const page = renderReport(input);

  it('escapes it everywhere: no element, attribute or script break comes from it', () => {
    expect(page.match(/<script\b/gi)).toHaveLength(2);
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toContain(XSS.script);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // In the JSON, every < is \u003c: the breakout cannot close the data element.
    expect(element(page, 'script', ` type="application/json"`)).not.toMatch(/[<>]/);
  });

  it('keeps the strings intact in the data', () => {
    const data = JSON.parse(element(page, 'script', ` type="application/json"`)) as typeof input;
    expect(data).toEqual(JSON.parse(JSON.stringify(input)));
    expect(data.variants[0]?.name).toBe(`${XSS.script}0`);
  });
});

describe('reportRuntime()', () => {
  it('is one script with d3 inside and nothing left to import', () => {
    const js = reportRuntime();
    expect(js.startsWith('/*! meshsim report. Bundles d3')).toBe(true);
    expect(/\brequire\(|\bimport\(|^import\s|\nimport\s/.test(js)).toBe(false);
    // Nothing in it can reach the network (d3-fetch and friends are left out by tree shaking).
    expect(/\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/.test(js)).toBe(false);
    expect(js.length).toBeLessThan(300_000);
  });
});
