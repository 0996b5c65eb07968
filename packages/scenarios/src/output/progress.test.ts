import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli/captureIO.js';
import { progressReporter } from './progress.js';

const at = (now: number, requests = 10) => ({ now, horizon: 90_000_000, requests, plannedRequests: 1000 });

describe('progressReporter()', () => {
  it('draws nothing when stdout is not a terminal', () => {
    const io = captureIO();
    const p = progressReporter(io, 'canary', () => 5000);
    p.onProgress(at(1_000_000));
    p.stop();
    expect(io.stderr).toBe('');
  });

  it('on a terminal, draws only once a run has taken more than a second of wall time, on stderr', () => {
    const io = captureIO();
    (io as { isTTY: boolean }).isTTY = true;
    let wall = 0;
    const p = progressReporter(io, 'canary', () => wall);
    p.onProgress(at(30_000_000));
    expect(io.stderr).toBe('');
    wall = 1500;
    p.onProgress(at(45_000_000, 900));
    expect(io.stderr).toContain('canary [');
    expect(io.stderr).toContain('50%');
    expect(io.stderr).toContain('45s of 1m30s simulated');
    p.stop();
    expect(io.stdout).toBe('');
  });
});
