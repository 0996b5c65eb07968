import { captureIO, runCli } from '@meshsim/scenarios';

// fortio -c 3 as Fortio's own JSON result (readable by `fortio report`): a few of its fields.
const io = captureIO();
await runCli(['run', 'circuit-breaker', '-o', 'fortio', '--traffic', 'fortio-c3'], io);
const r = JSON.parse(io.stdout) as {
  RequestedDuration: string;
  NumThreads: number;
  RetCodes: Record<string, number>;
  DurationHistogram: { Count: number };
};
console.log(
  JSON.stringify({
    RequestedDuration: r.RequestedDuration,
    NumThreads: r.NumThreads,
    RetCodes: r.RetCodes,
    Count: r.DurationHistogram.Count,
  }),
);
