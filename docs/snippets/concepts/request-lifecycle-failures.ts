import { ms, reviewsMesh, runFromSleep, type ReviewsMeshOptions, type WorkloadSpec } from '@meshsim/sim-core';

// What the client sees when each stage of the journey fails: status, %RESPONSE_FLAGS%,
// %RESPONSE_CODE_DETAILS% and the tries its sidecar made.
const reviews = (behaviour: WorkloadSpec['behaviour']): WorkloadSpec[] => [
  { selector: { matchLabels: { app: 'reviews' } }, behaviour },
];
const cases: [string, ReviewsMeshOptions, WorkloadSpec[]][] = [
  [
    'no route matches',
    {
      virtualService: {
        http: [
          { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews' } }] },
        ],
      },
    },
    [],
  ],
  ['no endpoints', { versions: [{ name: 'v1', replicas: 0 }] }, []],
  [
    'fault abort',
    {
      virtualService: {
        http: [
          {
            fault: { abort: { percentage: { value: 100 }, httpStatus: 418 } },
            route: [{ destination: { host: 'reviews' } }],
          },
        ],
      },
    },
    [],
  ],
  [
    'route timeout 10ms',
    { virtualService: { http: [{ timeout: '10ms', route: [{ destination: { host: 'reviews' } }] }] } },
    reviews({ serviceTime: { kind: 'constant', value: ms(50) } }),
  ],
  [
    'per-try timeouts',
    {
      virtualService: {
        http: [
          {
            retries: { attempts: 2, perTryTimeout: '5ms', retryOn: '5xx' },
            route: [{ destination: { host: 'reviews' } }],
          },
        ],
      },
    },
    reviews({ serviceTime: { kind: 'constant', value: ms(50) } }),
  ],
  [
    'app answers 503, retried',
    {
      virtualService: {
        http: [{ retries: { attempts: 2, retryOn: '5xx' }, route: [{ destination: { host: 'reviews' } }] }],
      },
    },
    reviews({ errors: [{ status: 503, probability: 1 }] }),
  ],
  ['app answers 503, default policy', {}, reviews({ errors: [{ status: 503, probability: 1 }] })],
  ['app resets the connection', {}, reviews({ resetProbability: 1 })],
];
for (const [name, mesh, workloads] of cases) {
  const { outcomes } = runFromSleep(reviewsMesh(mesh), { connections: 1, requests: 1 }, { seed: 1, workloads });
  const o = outcomes[0];
  console.log(
    `${name.padEnd(32)} ${o?.status} ${o?.responseFlags.padEnd(7)} ${o?.responseCodeDetails} (tries: ${o?.attempts})`,
  );
}
