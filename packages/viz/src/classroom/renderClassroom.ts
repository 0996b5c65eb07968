/**
 * `renderClassroom(input) → string`: the classroom page as one self-contained HTML file — sim-core, the
 * charts and the page logic bundled into one inline script (esbuild; sim-core runs unchanged in the
 * browser and re-simulates on every slider move), the scenarios' manifests and settings as JSON in a
 * non-executed element, inline styles, and a Content Security Policy that admits only that script and
 * stylesheet (by hash) and no network at all. The page's structure is static HTML; everything that comes
 * from a manifest or a scenario reaches it through `textContent` (or d3's `.text()`) in the browser.
 */
import { bundleBrowserEntry } from '../report/bundle.js';
import { assertInlineSafe, escapeHtml as h, jsonForScript } from '../report/escape.js';
import { CLASSROOM_DATA_ID } from './browser/dataElement.js';
import { CLASSROOM_CSS } from './styles.js';
import type { ClassroomInput } from './types.js';
import { selfContainedCsp } from '../report/csp.js';

/** Notices of the bundled libraries (their licences ask that the copyright notice travel with copies). */
export const CLASSROOM_BANNER =
  '/*! meshsim classroom. Bundles d3 (ISC, Copyright 2010-2026 Mike Bostock), d3-sankey (BSD-3-Clause, Copyright 2015 Mike Bostock), seedrandom (MIT, Copyright 2019 David Bau), yaml (ISC, Copyright Eemeli Aro), re2js (MIT, Copyright Oleksii Vasyliev), hdr-histogram-js (BSD-2-Clause, Copyright 2016 Alexandre Victoor), pako (MIT AND Zlib, Copyright 2014-2017 Vitaly Puzrin and Andrei Tuputcyn), debug (MIT, Copyright 2014 TJ Holowaychuk) and @stdlib packages (Apache-2.0, Copyright The Stdlib Authors). */';

/** The bundled page script (minified IIFE, ES2020): sim-core, d3 and the classroom's own code. */
export function classroomRuntime(): string {
  const entry = {
    ts: new URL('./browser/main.ts', import.meta.url),
    js: new URL('./browser/main.js', import.meta.url),
  };
  return bundleBrowserEntry(entry, CLASSROOM_BANNER, 'classroom');
}

/** The page's Content-Security-Policy: its own script and stylesheet only, no network of any kind. */
export const classroomCsp: (script: string, style: string) => string = selfContainedCsp;

/** Options of {@link renderClassroom}. */
export interface RenderClassroomOptions {
  /** The page script; by default the bundle ({@link classroomRuntime}). */
  readonly runtime?: string;
}

function slider(id: string, label: string, help: string): string {
  return `<div class="control" data-control="${id}">
<label for="${id}">${h(label)} <output id="${id}-out" for="${id}"></output></label>
<input type="range" id="${id}" min="0" max="100" step="1" aria-describedby="${id}-field ${id}-why">
<span class="field" id="${id}-field"></span><p class="why" id="${id}-why">${h(help)}</p>
</div>`;
}

/** Renders the page. Deterministic: the same input gives the same bytes. */
export function renderClassroom(input: ClassroomInput, options: RenderClassroomOptions = {}): string {
  if (input.scenarios.length === 0) throw new RangeError('the classroom needs at least one scenario');
  const names = new Set<string>();
  for (const s of input.scenarios) {
    if (names.has(s.name)) throw new RangeError(`scenario ${JSON.stringify(s.name)} appears twice`);
    names.add(s.name);
  }
  if (input.initial !== undefined && !names.has(input.initial)) {
    throw new RangeError(`initial scenario ${JSON.stringify(input.initial)} is not among the scenarios`);
  }
  const runtime = options.runtime ?? classroomRuntime();
  assertInlineSafe(runtime, 'script');
  assertInlineSafe(CLASSROOM_CSS, 'style');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(classroomCsp(runtime, CLASSROOM_CSS))}">
${input.generator !== undefined ? `<meta name="generator" content="${h(input.generator)}">` : ''}
<title>${h(input.title)}</title>
<style>${CLASSROOM_CSS}</style>
</head>
<body>
<header>
<h1>${h(input.title)}</h1>
<label class="pick" for="scenario">Scenario <select id="scenario" accesskey="s"></select></label>
<p id="scenario-description"></p>
<p id="omitted"></p>
</header>
<noscript><p class="error">This page simulates in your browser: it needs JavaScript.</p></noscript>
<main>
<section id="controls" aria-labelledby="controls-h">
<h2 id="controls-h">What if…</h2>
<p id="lesson-request" class="why"></p>
<fieldset><legend>Routing</legend>
${slider('canary-weight', 'Canary weight', 'Moves traffic between the route’s first two destinations (the first gets the rest).')}
<div class="control" data-control="lb-policy">
<label for="lb-policy">Load balancer</label>
<select id="lb-policy" aria-describedby="lb-policy-field"><option value="">as written</option><option>ROUND_ROBIN</option><option>LEAST_REQUEST</option><option>RANDOM</option></select>
<span class="field" id="lb-policy-field"></span>
</div>
</fieldset>
<fieldset><legend>Faults</legend>
${slider('fault-delay', 'Fault delay', 'Share of the route’s requests the client sidecar holds back (flag DI).')}
${slider('fault-abort', 'Fault abort', 'Share of the route’s requests the client sidecar answers itself (flag FI).')}
${slider('replica-failure', 'Replica failure rate', 'Share of its requests one replica answers with 503.')}
</fieldset>
<fieldset><legend>Run</legend>
<div class="control"><label for="requests">Requests per traffic generator</label>
<select id="requests"></select></div>
<div class="control"><label for="seed">Seed</label><input type="number" id="seed" min="0" step="1"></div>
<button type="button" id="reset">Reset to the scenario as written</button>
</fieldset>
<p id="status" role="status" aria-live="polite"></p>
<h3>Your edits</h3>
<ul id="changes" aria-label="Edits the sliders made"></ul>
</section>
<section id="path" aria-labelledby="path-h">
<h2 id="path-h">Request path</h2>
<div class="player" role="group" aria-label="Step through one request">
<label for="sample">Request</label> <select id="sample"></select>
<button type="button" id="first" aria-label="First hop">« first</button>
<button type="button" id="prev" aria-label="Previous hop">◀ back</button>
<button type="button" id="play" aria-pressed="false">▶ play</button>
<button type="button" id="next" aria-label="Next hop">step ▶</button>
<button type="button" id="last" aria-label="Last hop">last »</button>
</div>
<div id="hop" aria-live="polite"></div>
<div class="chart" id="flow"></div>
</section>
<section id="split" aria-labelledby="split-h">
<h2 id="split-h">Traffic split</h2>
<table id="shares"></table>
<div class="chart" id="sankey"></div>
</section>
<section id="latency" aria-labelledby="latency-h">
<h2 id="latency-h">Latency</h2>
<div class="charts-row"><div class="chart" id="histogram"></div><div class="chart" id="cdf"></div></div>
<table id="summary"></table>
<div class="chart" id="timeline"></div>
</section>
<section id="manifests" aria-labelledby="manifests-h">
<h2 id="manifests-h">Manifests</h2>
<p class="why">The current hop’s deciding line is highlighted.</p>
<div id="files"></div>
</section>
<section id="keys" aria-labelledby="keys-h">
<h2 id="keys-h">Keyboard</h2>
<dl>
<dt>→ or n</dt><dd>next hop</dd>
<dt>← or p</dt><dd>previous hop</dd>
<dt>space or k</dt><dd>play / pause</dd>
<dt>Home / End</dt><dd>first / last hop</dd>
<dt>r</dt><dd>run again with the next seed</dd>
<dt>Tab</dt><dd>move between controls; arrow keys move a focused slider</dd>
</dl>
</section>
</main>
<script type="application/json" id="${CLASSROOM_DATA_ID}">${jsonForScript(input)}</script>
<script>${runtime}</script>
</body>
</html>
`;
}
