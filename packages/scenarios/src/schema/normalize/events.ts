/** Normalizer of the `events` section: one action per event, in time order. */
import { formatDuration, type FieldPath } from '@meshsim/sim-core';
import type { InstanceTarget, ObjectRef } from '../types/common.js';
import { EVENT_ACTIONS, type ScenarioEvent } from '../types/events.js';
import { instanceTarget, manifestList, objectRef } from './common.js';
import { num, opt, str, type Context, type RawObject } from './context.js';
import { workloadSpec } from './workload.js';

/** Every event, checking that they are listed in time order. */
export function events(ctx: Context, path: FieldPath, raw: readonly unknown[]): ScenarioEvent[] {
  const out: ScenarioEvent[] = [];
  let previous: { at: number; text: string; index: number } | undefined;
  raw.forEach((item, i) => {
    const event = scenarioEvent(ctx, [...path, i], item as RawObject);
    if (event === undefined) return;
    const text = String((item as RawObject)['at']);
    if (previous !== undefined && event.at < previous.at) {
      ctx.fail(
        [...path, i, 'at'],
        `${text} is earlier than the event before it (${formatFieldPath(path, previous.index)} at ${previous.text}); list events in time order`,
      );
    }
    previous = { at: event.at, text, index: i };
    out.push(event);
  });
  return out;
}

function formatFieldPath(path: FieldPath, index: number): string {
  return `${String(path[path.length - 1])}[${index}]`;
}

function scenarioEvent(ctx: Context, path: FieldPath, raw: RawObject): ScenarioEvent | undefined {
  // In the order they are written, so the message and its position name the second one written.
  const actions = Object.keys(raw).filter((k): k is (typeof EVENT_ACTIONS)[number] =>
    (EVENT_ACTIONS as readonly string[]).includes(k),
  );
  if (actions.length !== 1) {
    ctx.fail(
      actions.length === 0 ? path : [...path, actions[1] as string],
      actions.length === 0
        ? `missing action: an event needs one of ${EVENT_ACTIONS.join(', ')}`
        : `an event has exactly one action, this one has ${actions.join(' and ')} (split it into two events at the same time)`,
      'scenario/semantic',
      actions.length === 0 ? 'value' : 'key',
    );
    return undefined;
  }
  const action = actions[0] as (typeof EVENT_ACTIONS)[number];
  const at = ctx.duration([...path, 'at'], raw['at']);
  const body = raw[action];
  const bodyPath = [...path, action];
  const span = (o: RawObject) =>
    opt(
      'duration',
      o['duration'] === undefined
        ? undefined
        : ctx.positiveDuration([...bodyPath, 'duration'], o['duration'], 'omit it to last until reverted'),
    );
  let event: Omit<ScenarioEvent, 'name' | 'at'>;
  switch (action) {
    case 'apply':
      event = { apply: manifestList(ctx, bodyPath, body as readonly unknown[]) };
      break;
    case 'delete':
      event = {
        delete: (body as readonly unknown[]).map((d) =>
          typeof d === 'string' ? { path: d } : objectRef(d as RawObject),
        ),
      };
      break;
    case 'scale': {
      const o = body as RawObject;
      event = {
        scale: {
          kind: (str(o, 'kind') as 'Deployment' | 'StatefulSet' | 'ReplicaSet' | undefined) ?? 'Deployment',
          namespace: str(o, 'namespace') ?? 'default',
          name: String(o['name']),
          replicas: num(o, 'replicas') ?? 0,
        },
      };
      break;
    }
    case 'kill':
    case 'ready':
      event = { [action]: instanceTarget(ctx, bodyPath, body as RawObject) } as Omit<ScenarioEvent, 'name' | 'at'>;
      break;
    case 'unready':
      event = { unready: { ...instanceTarget(ctx, bodyPath, body as RawObject), ...span(body as RawObject) } };
      break;
    case 'setWorkload':
      event = { setWorkload: { ...workloadSpec(ctx, bodyPath, body as RawObject), ...span(body as RawObject) } };
      break;
    case 'partition':
      event = { partition: { node: String((body as RawObject)['node']), ...span(body as RawObject) } };
      break;
    case 'heal':
      event = { heal: { node: String((body as RawObject)['node']) } };
      break;
  }
  const name = str(raw, 'name') ?? describeEvent({ at, name: '', ...event } as ScenarioEvent);
  return { at, name, ...event } as ScenarioEvent;
}

/** The default name of an event: what it does, as a timeline shows it (`scale default/reviews-v2 to 3`). */
export function describeEvent(event: ScenarioEvent): string {
  const when = `at ${formatDuration(event.at)}`;
  if ('apply' in event) return `${when}: apply ${count(event.apply.length, 'manifest')}`;
  if ('delete' in event) return `${when}: delete ${event.delete.map(describeDeletion).join(', ')}`;
  if ('scale' in event)
    return `${when}: scale ${event.scale.kind} ${event.scale.namespace}/${event.scale.name} to ${event.scale.replicas}`;
  if ('kill' in event) return `${when}: kill ${describeTarget(event.kill)}`;
  if ('unready' in event) return `${when}: make ${describeTarget(event.unready)} unready`;
  if ('ready' in event) return `${when}: make ${describeTarget(event.ready)} ready`;
  if ('setWorkload' in event) return `${when}: change the behaviour of ${describeTarget(event.setWorkload)}`;
  if ('partition' in event) return `${when}: partition node ${event.partition.node}`;
  return `${when}: heal node ${event.heal.node}`;
}

function describeDeletion(d: ObjectRef | { readonly path: string }): string {
  return 'path' in d ? d.path : `${d.kind} ${d.namespace === undefined ? '' : `${d.namespace}/`}${d.name}`;
}

/** `default/reviews-v2-0`, `pods app=reviews,version=v2 in default`, `replica 1 of app=reviews in default`. */
export function describeTarget(t: InstanceTarget): string {
  if (t.pod !== undefined) return `pod ${t.namespace}/${t.pod}`;
  const labels = Object.entries(t.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const exprs = (t.selector?.matchExpressions ?? []).length > 0 ? `${labels === '' ? '' : ','}…` : '';
  const sel = labels + exprs === '' ? 'every instance' : labels + exprs;
  return t.replica === undefined ? `${sel} in ${t.namespace}` : `replica ${t.replica} of ${sel} in ${t.namespace}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
