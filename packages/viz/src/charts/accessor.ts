/**
 * d3's chained getter-setter (`chart.width()` reads, `chart.width(640)` sets and returns the chart for
 * chaining — d3-shape's `line.x`, d3-scale's `scale.domain`), typed once for every chart setting.
 */

/** A setting: call with no argument to read it, with one to set it and get the chart back. */
export interface Accessor<T, Chart> {
  (): T;
  (value: T): Chart;
}

/** Makes an accessor over a closure variable (read by `get`, written by `set`) that returns `chart()`. */
export function accessor<T, Chart>(get: () => T, set: (value: T) => void, chart: () => Chart): Accessor<T, Chart> {
  return ((...args: [] | [T]): T | Chart => {
    if (args.length === 0) return get();
    set(args[0]);
    return chart();
  }) as Accessor<T, Chart>;
}
