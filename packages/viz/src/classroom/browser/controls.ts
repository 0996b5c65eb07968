/**
 * The classroom's controls and the settings they stand for. Each control shows the Istio field it sets and
 * starts at the scenario's own value; a control the scenario gives nothing to act on is disabled with the
 * reason. Only controls the teacher moved become settings, so an untouched page runs the scenario as
 * written.
 */
import type { ClassroomScenario, ClassroomSettings, Lesson } from '../types.js';
import { LB_POLICIES } from '../types.js';

/** The page's control elements. */
export interface ControlElements {
  readonly canary: HTMLInputElement;
  readonly delay: HTMLInputElement;
  readonly abort: HTMLInputElement;
  readonly replica: HTMLInputElement;
  readonly lb: HTMLSelectElement;
  readonly requests: HTMLSelectElement;
  readonly seed: HTMLInputElement;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the classroom page has no #${id}`);
  return e as T;
};

/** Finds the controls in the page. */
export function controlElements(): ControlElements {
  return {
    canary: byId('canary-weight'),
    delay: byId('fault-delay'),
    abort: byId('fault-abort'),
    replica: byId('replica-failure'),
    lb: byId('lb-policy'),
    requests: byId('requests'),
    seed: byId('seed'),
  };
}

function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

function enable(input: HTMLInputElement | HTMLSelectElement, on: boolean, why?: string): void {
  input.disabled = !on;
  input.closest('.control')?.classList.toggle('disabled', !on);
  const note = document.getElementById(`${input.id}-why`);
  if (note !== null && why !== undefined) note.textContent = why;
}

/** Weight share (0–100) of the second destination, as written. */
function canaryWeightOf(l: Lesson): number | undefined {
  const d = l.route?.destinations;
  if (d === undefined || d.length < 2) return undefined;
  const total = d.reduce((a, x) => a + x.weight, 0);
  return total === 0 ? 0 : Math.round((100 * (d[1]?.weight ?? 0)) / total);
}

/** The controls of one scenario: values as written, fields named, inapplicable ones disabled. */
export function showLesson(c: ControlElements, s: ClassroomScenario, requests: number): void {
  const l = s.lesson;
  const r = l.route;
  const at = r !== undefined ? `VirtualService ${r.namespace}/${r.name} spec.http[${r.httpIndex}]` : undefined;
  const w = canaryWeightOf(l);
  c.canary.value = String(w ?? 0);
  enable(
    c.canary,
    w !== undefined,
    w !== undefined
      ? 'Moves traffic between the route’s first two destinations (the first gets the rest).'
      : 'This scenario’s route has a single destination: no weights to move (try canary or vm-mesh-expansion).',
  );
  setText('canary-weight-field', at !== undefined && w !== undefined ? `${at}.route[0,1].weight` : '');
  c.delay.value = String(r?.fault.delayPercent ?? 0);
  c.abort.value = String(r?.fault.abortPercent ?? 0);
  const fixed = r?.fault.fixedDelay ?? '2s';
  setText(
    'fault-delay-field',
    at !== undefined
      ? `${at}.fault.delay.percentage.value (fixedDelay ${fixed})`
      : `adds VirtualService ${l.hostNamespace}/classroom-fault (fixedDelay ${fixed})`,
  );
  setText(
    'fault-abort-field',
    at !== undefined
      ? `${at}.fault.abort.percentage.value (httpStatus ${r?.fault.httpStatus ?? 503})`
      : `adds VirtualService ${l.hostNamespace}/classroom-fault (httpStatus 503)`,
  );
  c.lb.value = '';
  const asWritten = c.lb.options[0];
  if (asWritten !== undefined)
    asWritten.textContent = `as written (${l.lbPolicy ?? 'none: Istio’s default LEAST_REQUEST'})`;
  const d = l.destinationRule;
  setText(
    'lb-policy-field',
    d !== undefined
      ? `DestinationRule ${d.namespace}/${d.name} spec.trafficPolicy.loadBalancer.simple`
      : `adds DestinationRule ${l.hostNamespace}/classroom-lb for ${l.host}`,
  );
  const rep = l.replica;
  c.replica.value = String(rep?.errorPercent ?? 0);
  enable(
    c.replica,
    rep !== undefined,
    rep !== undefined
      ? `Share of its requests the replica answers with 503.`
      : 'No replica behind the route to make fail.',
  );
  setText('replica-failure-field', rep !== undefined ? `pod ${rep.namespace}/${rep.pod} answers 503` : '');
  // The scenario's own run size first among the choices.
  c.requests.replaceChildren();
  for (const n of [...new Set([requests, 100, 200, 400, 800, 1600])].sort((a, b) => a - b)) {
    const o = document.createElement('option');
    o.value = String(n);
    o.textContent = n === s.requests ? `${n} (this scenario’s)` : String(n);
    c.requests.append(o);
  }
  c.requests.value = String(requests);
  c.seed.value = String(s.seed);
  updateOutputs(c, s);
}

/** The `<output>` next to each slider. */
export function updateOutputs(c: ControlElements, s: ClassroomScenario): void {
  const d = s.lesson.route?.destinations ?? [];
  const w = Number(c.canary.value);
  setText('canary-weight-out', d.length >= 2 ? `${d[1]?.label ?? ''} ${w}% · ${d[0]?.label ?? ''} ${100 - w}%` : '—');
  c.canary.setAttribute('aria-valuetext', d.length >= 2 ? `${w} percent to ${d[1]?.label ?? ''}` : 'not applicable');
  const fixed = s.lesson.route?.fault.fixedDelay ?? '2s';
  setText('fault-delay-out', `${c.delay.value}% delayed by ${fixed}`);
  c.delay.setAttribute('aria-valuetext', `${c.delay.value} percent delayed`);
  setText('fault-abort-out', `${c.abort.value}% aborted`);
  c.abort.setAttribute('aria-valuetext', `${c.abort.value} percent aborted`);
  setText('replica-failure-out', `${c.replica.value}%`);
  c.replica.setAttribute('aria-valuetext', `${c.replica.value} percent of requests fail`);
}

/** The settings of the controls the teacher moved (`touched`). */
export function settingsOf(c: ControlElements, touched: ReadonlySet<string>): ClassroomSettings {
  const lb = c.lb.value;
  return {
    ...(touched.has('canary') && !c.canary.disabled ? { canaryWeight: Number(c.canary.value) } : {}),
    ...(touched.has('delay') ? { delayPercent: Number(c.delay.value) } : {}),
    ...(touched.has('abort') ? { abortPercent: Number(c.abort.value) } : {}),
    ...(touched.has('replica') && !c.replica.disabled ? { replicaFailurePercent: Number(c.replica.value) } : {}),
    ...((LB_POLICIES as readonly string[]).includes(lb) ? { lbPolicy: lb as (typeof LB_POLICIES)[number] } : {}),
    ...(Number.isInteger(Number(c.seed.value)) && c.seed.value !== '' ? { seed: Number(c.seed.value) } : {}),
  };
}

/**
 * The scenario's world with each traffic generator sending `requests` (a generator split over several
 * client pods keeps its proportions).
 */
export function withRequests(s: ClassroomScenario, requests: number): ClassroomScenario {
  if (requests === s.requests) return s;
  const scale = requests / s.requests;
  return {
    ...s,
    requests,
    world: {
      ...s.world,
      traffic: (s.world.traffic ?? []).map((t) =>
        t.requests === undefined ? t : { ...t, requests: Math.max(1, Math.round(t.requests * scale)) },
      ),
    },
  };
}

/** One line about what the page left out of the scenario. */
export function omittedNote(s: ClassroomScenario): string {
  return s.omittedEvents.length === 0
    ? ''
    : `The scenario’s timed events (${s.omittedEvents.join('; ')}) are left out here: the sliders play their part.`;
}
