/** JSON Schema of the `workloads` section (and of the `setWorkload` event, which takes the same entry). */
import { HEADER_NAME_PATTERN, instanceTargetProperties, list, object, ref, string, type JsonSchema } from './common.js';

/** `onFailure` / `overload` words: a keyword as a string, or a status code as a number. */
const statusOr = (words: readonly string[], description: string): JsonSchema => ({
  type: ['string', 'integer'],
  pattern: `^(${words.join('|')})$`,
  minimum: 200,
  maximum: 599,
  description,
});

const callProperties: Record<string, JsonSchema> = {
  url: { ...ref('url'), description: 'URL as the application calls it, e.g. http://ratings:9080/ratings/0.' },
  method: string('HTTP method. Default GET.', { pattern: '^[A-Z]+$', default: 'GET' }),
  headers: ref('headers'),
  timeout: { ...ref('duration'), description: "The application's own client timeout per attempt. Default none." },
  attempts: { type: 'integer', minimum: 1, default: 1, description: 'Tries the application makes itself. Default 1.' },
  onFailure: statusOr(
    ['propagate', 'ignore'],
    'A failed call: propagate its status (500 if none), ignore it, or answer with this status. Default propagate.',
  ),
};

export const workloadBehaviorProperties: Record<string, JsonSchema> = {
  serviceTime: {
    ...ref('distribution'),
    description: 'Time the application works on one request before its calls. Default 0s.',
  },
  concurrency: {
    type: 'integer',
    minimum: 1,
    description: 'Requests served at once; more wait in a FIFO queue. Default unlimited.',
  },
  queueLimit: {
    type: 'integer',
    minimum: 0,
    description: 'Requests that may wait for a slot; one more gets the overload answer. Default unlimited.',
  },
  overload: statusOr(['reset'], 'What a request gets when the queue is full: reset, or a status. Default 503.'),
  errors: list(
    'Error responses by probability (errors and resets add up to at most 100).',
    object(
      'An error response.',
      {
        httpStatus: { type: 'integer', minimum: 200, maximum: 599, description: 'Status code.' },
        percent: { ...ref('percent'), description: 'Share of requests answered with it.' },
      },
      { required: ['httpStatus', 'percent'] },
    ),
  ),
  resets: { ...ref('percent'), description: 'Share of requests whose connection the application resets. Default 0.' },
  calls: list(
    "The handler's steps after the service time, in order: calls, parallel groups, compute.",
    ref('callStep'),
  ),
  propagateHeaders: list(
    'Request headers copied onto downstream calls. Default: the headers Bookinfo forwards (x-request-id, trace contexts, end-user, …).',
    { type: 'string', pattern: HEADER_NAME_PATTERN },
  ),
};

export const workloadDefinitions: Record<string, JsonSchema> = {
  downstreamCall: object('A downstream call through the sidecar.', callProperties, { required: ['url'] }),
  callStep: object(
    'A call (url, …), a parallel group (parallel: [calls]), or more processing time (compute: distribution).',
    {
      ...callProperties,
      parallel: list('Calls issued at once; the step ends when the last one has.', ref('downstreamCall'), {
        minItems: 1,
      }),
      compute: { ...ref('distribution'), description: 'Processing time between calls.' },
    },
  ),
  workload: object(
    'Application behaviour of the selected instances; later entries override earlier ones field by field.',
    { ...instanceTargetProperties, ...workloadBehaviorProperties },
  ),
};
