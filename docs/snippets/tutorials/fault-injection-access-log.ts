import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIO, runCli } from '@meshsim/scenarios';

// Two requests of each kind, with the access log of every proxy written to a file.
const log = join(mkdtempSync(join(tmpdir(), 'meshsim-')), 'access.log');
await runCli(['run', 'fault-injection', '--requests', '2', '--access-log', log], captureIO());
// The client sidecar's lines: a delayed request (DI) and an aborted one (FI).
const lines = readFileSync(log, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('[canary/toolbox'));
for (const flag of [' DI ', ' FI ']) console.log(lines.find((l) => l.includes(flag)));
