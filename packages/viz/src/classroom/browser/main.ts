/**
 * The classroom page's script (bundled with sim-core by classroom/renderClassroom.ts): reads the embedded
 * scenarios, runs the chosen one in the browser, draws what the run did, and re-runs it whenever a slider
 * moves — the Sankey, latency charts, shares and request path all come from the new run. Keyboard: → / n
 * next hop, ← / p previous, space / k play or pause, Home / End, r run again with the next seed.
 */
import type { KubeObject } from '@meshsim/sim-core';
import { formatCount, formatMicros } from '../../model/format.js';
import { loadClassroomObjects, runLesson } from '../runLesson.js';
import type { ClassroomInput, ClassroomRun, ClassroomScenario } from '../types.js';
import { controlElements, omittedNote, settingsOf, showLesson, updateOutputs, withRequests } from './controls.js';
import { CLASSROOM_DATA_ID } from './dataElement.js';
import { FlowPlayer } from './player.js';
import { drawCharts, drawFiles, drawShares, drawSummary, highlightRef } from './views.js';

const byId = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the classroom page has no #${id}`);
  return e as T;
};

/** Debounce of slider moves before a re-run, ms (a drag fires many input events). */
const DEBOUNCE_MS = 80;

function main(): void {
  const dataEl = document.getElementById(CLASSROOM_DATA_ID);
  if (dataEl === null) throw new Error(`the classroom page has no #${CLASSROOM_DATA_ID} element`);
  const data = JSON.parse(dataEl.textContent ?? 'null') as ClassroomInput;
  const c = controlElements();
  const picker = byId<HTMLSelectElement>('scenario');
  const status = byId('status');
  const samples = byId<HTMLSelectElement>('sample');
  const files = byId('files');
  const player = new FlowPlayer({
    chart: byId('flow'),
    detail: byId('hop'),
    playButton: byId<HTMLButtonElement>('play'),
    showRef: (hop) => highlightRef(files, hop),
  });
  const objects = new Map<string, readonly KubeObject[]>();
  const touched = new Set<string>();
  let scenario = data.scenarios.find((s) => s.name === data.initial) ?? (data.scenarios[0] as ClassroomScenario);
  let requests = scenario.requests;
  let last: ClassroomRun | undefined;
  let pending: number | undefined;
  let pendingSince: number | undefined;
  let runs = 0;

  for (const s of data.scenarios) {
    const o = document.createElement('option');
    o.value = s.name;
    o.textContent = s.name;
    picker.append(o);
  }

  const showRun = (run: ClassroomRun): void => {
    last = run;
    drawShares(
      byId<HTMLTableElement>('shares'),
      run,
      scenario.lesson.route !== undefined
        ? `VirtualService ${scenario.lesson.route.namespace}/${scenario.lesson.route.name} http[${scenario.lesson.route.httpIndex}]`
        : scenario.lesson.host,
    );
    drawCharts(run, {
      sankey: byId('sankey'),
      histogram: byId('histogram'),
      cdf: byId('cdf'),
      timeline: byId('timeline'),
    });
    drawSummary(byId<HTMLTableElement>('summary'), run);
    const changes = byId('changes');
    changes.replaceChildren();
    for (const ch of run.changes) {
      const li = document.createElement('li');
      li.textContent = ch;
      changes.append(li);
    }
    const keep = samples.selectedIndex;
    samples.replaceChildren();
    run.flows.forEach((f, i) => {
      const o = document.createElement('option');
      o.value = String(i);
      o.textContent = `${f.title} → ${f.outcome.status === 0 ? 'no response' : f.outcome.status}${f.outcome.responseFlags !== '-' ? ` ${f.outcome.responseFlags}` : ''}`;
      samples.append(o);
    });
    samples.selectedIndex = keep >= 0 && keep < run.flows.length ? keep : 0;
    const position = player.position;
    player.load(run.flows[samples.selectedIndex]);
    if (position > 0) player.go(position);
  };

  const runNow = (): void => {
    pending = undefined;
    const started = pendingSince ?? performance.now();
    pendingSince = undefined;
    try {
      let objs = objects.get(scenario.name);
      if (objs === undefined) {
        objs = loadClassroomObjects(scenario);
        objects.set(scenario.name, objs);
      }
      const simStart = performance.now();
      const run = runLesson(withRequests(scenario, requests), objs, settingsOf(c, touched));
      const simMs = performance.now() - simStart;
      showRun(run);
      const ms = performance.now() - started;
      runs++;
      document.body.dataset['runs'] = String(runs);
      document.body.dataset['updateMs'] = String(Math.round(ms));
      document.body.dataset['simulateMs'] = String(Math.round(simMs));
      status.classList.remove('error');
      status.textContent = `Simulated ${formatCount(run.requests)} requests (${formatMicros(run.simulated)} of mesh time) in your browser: ${Math.round(simMs)} ms; charts updated ${Math.round(ms)} ms after the change.`;
      document.documentElement.dataset['rendered'] = 'true';
    } catch (error) {
      status.classList.add('error');
      status.textContent = `This run failed: ${error instanceof Error ? error.message : String(error)}`;
      console.error(error);
    }
  };

  const schedule = (immediate = false): void => {
    pendingSince ??= performance.now();
    if (pending !== undefined) window.clearTimeout(pending);
    status.classList.remove('error');
    status.textContent = 'Simulating…';
    // A timer, even of 0 ms, lets the browser paint "Simulating…" before the run takes the main thread.
    pending = window.setTimeout(runNow, immediate ? 0 : DEBOUNCE_MS);
  };

  const selectScenario = (name: string): void => {
    const s = data.scenarios.find((x) => x.name === name);
    if (s === undefined) return;
    scenario = s;
    requests = s.requests;
    touched.clear();
    picker.value = s.name;
    byId('scenario-description').textContent = s.description;
    byId('omitted').textContent = omittedNote(s);
    byId('lesson-request').textContent = `Following ${s.lesson.request} (to ${s.lesson.host}).`;
    showLesson(c, s, requests);
    drawFiles(files, s.files);
    samples.selectedIndex = -1;
    schedule(true);
  };

  const slider = (input: HTMLInputElement, key: string): void => {
    input.addEventListener('input', () => {
      touched.add(key);
      updateOutputs(c, scenario);
      schedule();
    });
  };
  slider(c.canary, 'canary');
  slider(c.delay, 'delay');
  slider(c.abort, 'abort');
  slider(c.replica, 'replica');
  c.lb.addEventListener('change', () => schedule());
  c.seed.addEventListener('change', () => schedule());
  c.requests.addEventListener('change', () => {
    requests = Number(c.requests.value);
    schedule();
  });
  picker.addEventListener('change', () => selectScenario(picker.value));
  byId('reset').addEventListener('click', () => selectScenario(scenario.name));
  samples.addEventListener('change', () => player.load(last?.flows[samples.selectedIndex]));
  byId('first').addEventListener('click', () => player.go(0));
  byId('prev').addEventListener('click', () => player.prev());
  byId('play').addEventListener('click', () => player.toggle());
  byId('next').addEventListener('click', () => player.next());
  byId('last').addEventListener('click', () => player.last());
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    // Form controls keep their own keys (arrows move a slider, space presses a button).
    if (t !== null && ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(t.tagName)) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const act: Record<string, () => void> = {
      ArrowRight: () => player.next(),
      n: () => player.next(),
      ArrowLeft: () => player.prev(),
      p: () => player.prev(),
      ' ': () => player.toggle(),
      k: () => player.toggle(),
      Home: () => player.go(0),
      End: () => player.last(),
      r: () => {
        c.seed.value = String(Number(c.seed.value || '0') + 1);
        schedule(true);
      },
    };
    const f = act[e.key];
    if (f === undefined) return;
    e.preventDefault();
    f();
  });
  selectScenario(scenario.name);
}

main();
