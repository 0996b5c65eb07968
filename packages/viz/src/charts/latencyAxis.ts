/**
 * The latency axis shared by the histogram and the CDF: a log scale in µs (latencies span decades — a
 * 2 ms hop and a 5 s injected delay on one chart), ticks at powers of ten (and 2× / 5× when the range is
 * short), labelled as a person reads durations (`1 ms`, `5 s`).
 */
import { axisBottom, scaleLog, type ScaleLogarithmic, type Selection } from 'd3';
import { formatMicros } from '../model/format.js';
import { GREY } from './palette.js';

/** The smallest latency drawn, µs: HDR's zero bucket is [0, 1], which a log axis cannot show. */
export const MIN_LATENCY = 1;

/** A log scale over `extent` (µs), widened to whole decades when it spans less than one. */
export function latencyScale(
  extent: readonly [number, number],
  range: readonly [number, number],
): ScaleLogarithmic<number, number> {
  let lo = Math.max(MIN_LATENCY, extent[0]);
  let hi = Math.max(lo * 1.0001, extent[1]);
  if (hi / lo < 10) {
    lo = Math.max(MIN_LATENCY, 10 ** Math.floor(Math.log10(lo)));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (hi <= lo) hi = lo * 10;
  }
  return scaleLog().domain([lo, hi]).range(range);
}

/** Tick values: powers of ten in the domain, plus 2× and 5× when there are fewer than four. */
export function latencyTicks(scale: ScaleLogarithmic<number, number>): number[] {
  const [lo, hi] = scale.domain() as [number, number];
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) decades.push(10 ** e);
  if (decades.length >= 4) return decades;
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Draws the latency axis into `g` (already translated to the plot's bottom edge). */
export function drawLatencyAxis<D>(
  g: Selection<SVGGElement, D, null, undefined>,
  scale: ScaleLogarithmic<number, number>,
  label: string,
  width: number,
): void {
  g.call(
    axisBottom(scale)
      .offset(0.5) // d3-axis reads devicePixelRatio otherwise: the same drawing in a DOM shim and a browser
      .tickValues(latencyTicks(scale))
      .tickFormat((d) => formatMicros(Number(d))),
  );
  g.selectAll('text').attr('fill', GREY.text);
  g.selectAll('line,path').attr('stroke', GREY.rule);
  g.append('text')
    .attr('class', 'axis-label')
    .attr('x', width)
    .attr('y', 32)
    .attr('text-anchor', 'end')
    .attr('fill', GREY.muted)
    .text(label);
}

/**
 * Styles the share axis the histogram and the CDF draw beside the latency axis (already called into `g`)
 * and writes its label above it, starting at the chart's left edge.
 */
export function styleShareAxis<D>(
  g: Selection<SVGGElement, D, null, undefined>,
  label: string,
  marginLeft: number,
): void {
  g.selectAll('text').attr('fill', GREY.text);
  g.selectAll('line,path').attr('stroke', GREY.rule);
  g.append('text')
    .attr('class', 'axis-label')
    .attr('x', -marginLeft + 4)
    .attr('y', -6)
    .attr('text-anchor', 'start')
    .attr('fill', GREY.muted)
    .text(label);
}
