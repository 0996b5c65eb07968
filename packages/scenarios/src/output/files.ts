/**
 * Files the CLI writes: whole documents (`--metrics`, `--report`) and the access log, streamed as the run
 * goes (`--access-log`: one line per Envoy stream, buffered 64 kB at a time, so memory stays bounded however
 * long the run). A path that cannot be written is bad input: a ConfigError naming the option.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@meshsim/sim-core';
import type { AccessLogSink } from '@meshsim/sim-core/envoy';

function fail(option: string, path: string, error: unknown): never {
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  throw new ConfigError(`cannot write ${JSON.stringify(path)} (${why})`, { field: option }, 'cli/file');
}

/** Writes `text` to `path` (relative to `cwd`), creating its folder. */
export function writeTextFile(cwd: string, path: string, text: string, option: string): void {
  const full = resolve(cwd, path);
  try {
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text, 'utf8');
  } catch (error) {
    fail(option, path, error);
  }
}

/** An access-log sink writing `[namespace/pod] <Istio's default line>` lines to a file. */
export function fileAccessLog(cwd: string, path: string, option = '--access-log'): AccessLogSink & { close(): void } {
  const full = resolve(cwd, path);
  let fd: number;
  try {
    mkdirSync(dirname(full), { recursive: true });
    fd = openSync(full, 'w');
  } catch (error) {
    fail(option, path, error);
  }
  let buffer: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (buffer.length === 0) return;
    writeSync(fd, buffer.join(''));
    buffer = [];
    size = 0;
  };
  return {
    write(proxy, line) {
      const text = `[${proxy}] ${line.endsWith('\n') ? line : `${line}\n`}`;
      buffer.push(text);
      size += text.length;
      if (size >= 65_536) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
