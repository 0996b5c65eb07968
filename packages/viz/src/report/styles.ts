/**
 * The report's stylesheet, inlined in the page: system fonts only (no web fonts, no network), print
 * friendly, charts scaled down to their column (their SVGs carry a viewBox).
 */
export const REPORT_CSS = `
:root { --text: #222; --muted: #666; --rule: #ddd; --bg-alt: #f6f8fa; --bad: #D55E00; --good: #009E73; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
header, main, footer, nav { max-width: 1800px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 14px; margin: 12px 0 6px; }
p.description, p.explain { max-width: 80ch; color: var(--muted); margin: 4px 0 10px; }
dl.meta { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 0; color: var(--muted); }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0 0 0 -12px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 12px; padding-top: 8px; padding-bottom: 8px; }
nav.toc a { color: var(--accent); }
.view-switch { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; }
.view-switch button { font: inherit; padding: 3px 10px; border: 1px solid var(--rule); background: #fff; border-radius: 14px; cursor: pointer; }
.view-switch button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.view-switch button:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.bad { color: var(--bad); font-weight: 600; }
.table-scroll { overflow-x: auto; }
ul.expectations { list-style: none; padding: 0; }
ul.expectations li.pass .verdict { color: var(--good); font-weight: 600; }
ul.expectations li.fail .verdict { color: var(--bad); font-weight: 600; }
.variants { display: grid; gap: 16px; align-items: start; }
.variants { grid-template-columns: repeat(auto-fit, minmax(min(100%, 640px), 1fr)); }
.variants.flows { grid-template-columns: repeat(auto-fit, minmax(min(100%, 760px), 1fr)); }
.variants.single, .variants.wide { grid-template-columns: minmax(0, 1fr); }
figure.variant-col { margin: 0; min-width: 0; }
figure.variant-col[hidden] { display: none; }
figure.variant-col > figcaption { font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin-bottom: 4px; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; display: block; }
.chart.scroll svg { max-width: none; }
.chart .chart-error { color: var(--bad); }
.none { color: var(--muted); font-style: italic; }
footer { color: var(--muted); padding-bottom: 32px; font-size: 12px; }
noscript p { color: var(--bad); }
@media print { .view-switch, nav.toc { display: none; } h2 { break-before: auto; } .chart { break-inside: avoid; } }
`;
