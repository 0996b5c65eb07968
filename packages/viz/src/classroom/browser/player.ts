/**
 * Stepping through one request's path: the flow chart is drawn once, then a cursor moves hop by hop —
 * hops not yet reached are faded, the current one is outlined, its details (what happened, why, the
 * manifest field that decided it) are read out in a live region and its manifest line is highlighted.
 * Play advances on a timer until the response reaches the client app; pause stops it.
 */
import { select } from 'd3';
import { flowChart } from '../../charts/flowChart.js';
import { formatMicros } from '../../model/format.js';
import type { FlowHop, RequestFlow } from '../../model/requestFlow.js';
import { formatManifestRef } from '../../model/sourceRef.js';

/** How long each hop stays current while playing, ms. */
const STEP_MS = 900;

/** What the player needs from the page. */
export interface PlayerView {
  readonly chart: HTMLElement;
  readonly detail: HTMLElement;
  readonly playButton: HTMLButtonElement;
  /** Highlights the manifest line that decided the hop (or clears it). */
  readonly showRef: (hop: FlowHop | undefined) => void;
}

/** A request's path with a cursor on one hop. */
export class FlowPlayer {
  private flow: RequestFlow | undefined;
  private index = 0;
  private timer: number | undefined;

  constructor(private readonly view: PlayerView) {}

  /** The hop under the cursor (0-based), or -1 with no flow. */
  get position(): number {
    return this.flow === undefined ? -1 : this.index;
  }

  /** Draws `flow` and puts the cursor on its first hop. */
  load(flow: RequestFlow | undefined): void {
    this.pause();
    this.flow = flow;
    this.index = 0;
    const el = this.view.chart;
    el.replaceChildren();
    if (flow === undefined) {
      this.view.detail.textContent = 'No request to show: this run sampled none.';
      this.view.showRef(undefined);
      return;
    }
    select(el).datum(flow).call(flowChart().maxChars(90));
    this.render();
  }

  /** Moves the cursor to hop `i` (clamped). */
  go(i: number): void {
    if (this.flow === undefined) return;
    this.index = Math.max(0, Math.min(this.flow.hops.length - 1, i));
    this.render();
  }

  next(): void {
    this.go(this.index + 1);
  }

  prev(): void {
    this.go(this.index - 1);
  }

  last(): void {
    this.go(Infinity);
  }

  /** Starts playing from the current hop (from the first, when at the end). */
  play(): void {
    if (this.flow === undefined || this.timer !== undefined) return;
    if (this.index >= this.flow.hops.length - 1) this.go(0);
    this.view.playButton.setAttribute('aria-pressed', 'true');
    this.view.playButton.textContent = '⏸ pause';
    this.timer = window.setInterval(() => {
      if (this.flow === undefined || this.index >= this.flow.hops.length - 1) this.pause();
      else this.next();
    }, STEP_MS);
  }

  pause(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
    this.view.playButton.setAttribute('aria-pressed', 'false');
    this.view.playButton.textContent = '▶ play';
  }

  toggle(): void {
    if (this.timer === undefined) this.play();
    else this.pause();
  }

  private render(): void {
    const flow = this.flow;
    if (flow === undefined) return;
    const hop = flow.hops[this.index] as FlowHop;
    const svg = this.view.chart.querySelector('svg');
    if (svg !== null) {
      const hops = Array.from(svg.querySelectorAll<SVGGElement>('.hops .hop'));
      hops.forEach((g, i) => {
        g.classList.toggle('todo', i > this.index);
        g.classList.toggle('current', i === this.index);
        g.setAttribute('aria-current', i === this.index ? 'step' : 'false');
      });
      // Leg i joins hop i and hop i + 1.
      Array.from(svg.querySelectorAll<SVGPathElement>('.legs path')).forEach((p, i) =>
        p.classList.toggle('todo', i + 1 > this.index),
      );
      svg.querySelector('rect.cursor')?.remove();
      const current = hops[this.index];
      if (current !== undefined) {
        const box = current.getBBox();
        const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
        rect.setAttribute('class', 'cursor');
        rect.setAttribute('x', String(box.x - 6));
        rect.setAttribute('y', String(box.y - 3));
        rect.setAttribute('width', String(box.width + 12));
        rect.setAttribute('height', String(box.height + 6));
        rect.setAttribute('rx', '5');
        svg.querySelector('.hops')?.insertBefore(rect, svg.querySelector('.hops')?.firstChild ?? null);
        current.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
      }
    }
    const d = this.view.detail;
    d.replaceChildren();
    const title = document.createElement('div');
    title.className = 'hop-title';
    title.textContent = `${this.index + 1}/${flow.hops.length} · ${hop.label}`;
    const where = document.createElement('div');
    where.className = 'hop-where';
    where.textContent = `${hop.lane.replace('-', ' ')} · ${hop.stage.replace('_', ' ')} · ${hop.direction}${hop.attempt !== undefined ? ` · try ${hop.attempt}` : ''}${hop.duration !== undefined && hop.duration > 0 ? ` · ${formatMicros(hop.duration)}` : ''}`;
    d.append(title, where);
    if (hop.detail !== undefined) {
      const p = document.createElement('div');
      p.textContent = hop.detail;
      d.append(p);
    }
    const notes = [...hop.decidedBy.map((r) => `decided by ${formatManifestRef(r)}`), ...(hop.notes ?? []).slice(0, 4)];
    if (notes.length > 0) {
      const ul = document.createElement('ul');
      for (const n of notes) {
        const li = document.createElement('li');
        li.textContent = n;
        ul.append(li);
      }
      d.append(ul);
    }
    this.view.showRef(hop);
    d.dataset['hop'] = hop.id;
  }
}
