/**
 * The progress bar of long runs: shown on a terminal only, and only once a run has taken more than a
 * second of wall-clock time (short runs print nothing extra). The wall clock is read here, in the CLI,
 * never in the simulation. The bar shows simulated time against the planned end of the traffic (or
 * requests against those planned, when the end is not known in advance).
 */
import { SingleBar } from 'cli-progress';
import { formatDuration } from '@meshsim/sim-core';
import type { CliIO } from '../cli/io.js';
import type { RunProgress } from '../runner/run.js';

/** A progress reporter for one or more runs. */
export interface ProgressReporter {
  /** A hook for `run({ onProgress })`. */
  readonly onProgress: (p: RunProgress) => void;
  /** Removes the bar (if shown). */
  stop(): void;
}

const WALL_CLOCK_DELAY_MS = 1000;

/** A reporter writing a bar to `io.err` when `io.isTTY`, after a second of wall-clock time. */
export function progressReporter(io: CliIO, label: string, now: () => number = Date.now): ProgressReporter {
  if (!io.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const started = now();
  let bar: SingleBar | undefined;
  // cli-progress writes escape sequences through the stream; the CLI's stderr stands in for it.
  const stream = {
    isTTY: true,
    columns: 100,
    write: (s: string) => (io.err(s), true),
  } as unknown as NodeJS.WritableStream;
  return {
    onProgress(p) {
      const byTime = Number.isFinite(p.horizon) && p.horizon > 0;
      const total = byTime ? p.horizon : Number.isFinite(p.plannedRequests) ? p.plannedRequests : 0;
      if (total === 0) return;
      const value = Math.min(total, byTime ? p.now : p.requests);
      const what = byTime
        ? `${formatDuration(Math.round(p.now / 1000) * 1000)} of ${formatDuration(Math.round(total / 1000) * 1000)} simulated`
        : '';
      if (bar !== undefined) return bar.update(value, { what, requests: p.requests });
      if (now() - started < WALL_CLOCK_DELAY_MS) return;
      bar = new SingleBar(
        {
          stream,
          format: `${label} [{bar}] {percentage}% | {what} | {requests} requests`,
          hideCursor: true,
          clearOnComplete: true,
          synchronousUpdate: true,
          fps: 10,
        },
        { barCompleteChar: '=', barIncompleteChar: ' ', format: '' },
      );
      bar.start(total, value, { what, requests: p.requests });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
