/**
 * The classroom page's stylesheet, inlined: system fonts, large enough to read on a projector, the
 * Okabe–Ito accent colours of the charts, a visible focus ring for keyboard users, and a highlighted
 * current hop and manifest line while a request is stepped through.
 */
export const CLASSROOM_CSS = `
:root { --text: #222; --muted: #555; --rule: #d0d7de; --bg-alt: #f6f8fa; --accent: #0072B2; --warn: #D55E00; --hl: #FFF3C4; --focus: #E69F00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
header { padding: 14px 24px 8px; border-bottom: 1px solid var(--rule); display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; }
header h1 { font-size: 20px; margin: 0; }
header .pick { font-weight: 600; }
header select { font: inherit; padding: 3px 6px; }
#scenario-description { flex-basis: 100%; margin: 2px 0 0; color: var(--muted); max-width: 110ch; }
#omitted { flex-basis: 100%; margin: 0; color: var(--muted); font-size: 13px; }
main { display: grid; grid-template-columns: minmax(300px, 380px) minmax(0, 1fr); gap: 16px 24px; padding: 12px 24px 32px; }
main > section { min-width: 0; }
#controls { grid-row: span 3; }
#manifests, #keys { grid-column: 1 / -1; }
h2 { font-size: 17px; margin: 4px 0 8px; }
fieldset { border: 1px solid var(--rule); border-radius: 8px; margin: 0 0 10px; padding: 8px 12px 10px; }
legend { font-weight: 600; padding: 0 4px; }
.control { margin: 6px 0 10px; }
.control label { display: block; font-weight: 600; }
.control input[type=range] { width: 100%; accent-color: var(--accent); }
.control output { font-variant-numeric: tabular-nums; font-weight: 600; color: var(--accent); }
.control .field { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); display: block; overflow-wrap: anywhere; }
.control.disabled { color: var(--muted); }
.control.disabled output { color: var(--muted); }
.control .why { font-size: 12px; color: var(--muted); margin: 2px 0 0; }
select, input[type=number], button { font: inherit; }
button { padding: 4px 10px; border: 1px solid var(--rule); background: #fff; border-radius: 6px; cursor: pointer; }
button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
#status { font-size: 13px; color: var(--muted); min-height: 2.6em; }
#changes { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; padding-left: 18px; margin: 4px 0; overflow-wrap: anywhere; }
#changes:empty::before { content: "The scenario as written (no slider moved)."; font-family: system-ui, sans-serif; color: var(--muted); margin-left: -18px; }
.player { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; }
.player select { max-width: 100%; }
#hop { border-left: 4px solid var(--accent); background: var(--bg-alt); padding: 6px 10px; margin: 6px 0 8px; min-height: 4.2em; font-size: 14px; }
#hop .hop-title { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 700; }
#hop .hop-where { color: var(--muted); font-size: 12px; }
#hop ul { margin: 2px 0 0; padding-left: 18px; font-size: 12px; color: var(--muted); }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; display: block; }
#flow { max-height: 70vh; overflow: auto; border: 1px solid var(--rule); border-radius: 8px; }
#flow svg { max-width: none; }
#flow .hop.todo { opacity: 0.3; }
#flow .legs path.todo { opacity: 0.15; }
#flow .hop.current .hop-label { text-decoration: underline; }
#flow rect.cursor { fill: var(--hl); stroke: var(--focus); stroke-width: 2; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; }
th { background: var(--bg-alt); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 12px; }
#files { display: grid; gap: 10px; }
#files details { border: 1px solid var(--rule); border-radius: 8px; }
#files summary { cursor: pointer; padding: 4px 8px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
#files pre { margin: 0; max-height: 360px; overflow: auto; font-size: 12px; line-height: 1.4; background: var(--bg-alt); padding: 6px 0; }
#files .line { display: block; padding: 0 8px 0 0; white-space: pre; }
#files .line::before { content: attr(data-line); display: inline-block; width: 3.5em; padding-right: 0.8em; text-align: right; color: var(--muted); user-select: none; }
#files .line.current { background: var(--hl); box-shadow: inset 4px 0 0 var(--focus); }
#keys dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; margin: 0; }
#keys dt { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 700; }
#keys dd { margin: 0; }
kbd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--rule); border-radius: 3px; padding: 0 3px; background: var(--bg-alt); }
.error { color: var(--warn); font-weight: 600; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } #controls { grid-row: auto; } }
`;
