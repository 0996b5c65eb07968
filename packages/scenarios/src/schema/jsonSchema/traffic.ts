/** JSON Schema of the `traffic` section. */
import { instanceTargetProperties, list, object, ref, string, type JsonSchema } from './common.js';

const requestFields: Record<string, JsonSchema> = {
  url: { ...ref('url'), description: 'The URL requested; its authority is the Host header (and SNI for https).' },
  method: string('HTTP method. Default GET.', { pattern: '^[A-Z]+$', default: 'GET' }),
  headers: ref('headers'),
};

export const trafficDefinitions: Record<string, JsonSchema> = {
  trafficSource: object(
    'Where requests start: a pod or VM (namespace + pod or selector), or an external client through a gateway.',
    {
      ...instanceTargetProperties,
      gateway: object('An external client connecting to the ingress gateway Service.', {
        namespace: { ...ref('namespace'), default: 'istio-system', description: 'Default istio-system.' },
        name: {
          ...ref('objectName'),
          default: 'istio-ingressgateway',
          description: 'The gateway (its Service and Deployment). Default istio-ingressgateway.',
        },
      }),
    },
  ),
  traffic: object(
    'A load generator.',
    {
      name: { ...ref('dnsLabel'), description: 'Unique name, used by expect. Default traffic-<index>.' },
      from: ref('trafficSource'),
      ...requestFields,
      mix: list(
        "A weighted mix of requests; url, method and headers default to the generator's.",
        object('One kind of request.', {
          weight: { type: 'number', minimum: 0, default: 1, description: 'Relative frequency. Default 1.' },
          ...requestFields,
        }),
        { minItems: 1 },
      ),
      protocol: {
        type: 'string',
        enum: ['http', 'http2'],
        default: 'http',
        description: 'HTTP/1.1 or HTTP/2. Default http.',
      },
      sni: string('TLS server name for https URLs, if not the URL host.'),
      rate: { type: 'number', exclusiveMinimum: 0, description: 'Open loop: requests per second.' },
      arrival: {
        type: 'string',
        enum: ['poisson', 'constant'],
        description: 'Open loop: exponential gaps (poisson) or even spacing (constant). Default poisson.',
      },
      connections: { type: 'integer', minimum: 1, description: 'Closed loop: connections, like fortio -c.' },
      qps: {
        type: 'number',
        minimum: 0,
        description: 'Closed loop: target requests/s over all connections, 0 = max speed, like fortio -qps. Default 8.',
      },
      uniform: {
        type: 'boolean',
        description: "Closed loop: stagger the connections' starts, like fortio -uniform. Default false.",
      },
      jitter: {
        type: 'boolean',
        description: 'Closed loop: ±10 % jitter on each wait, like fortio -jitter. Default false.',
      },
      noCatchUp: {
        type: 'boolean',
        description: 'Closed loop: skip missed requests instead of catching up, like fortio -nocatchup.',
      },
      startAt: { ...ref('duration'), description: 'When the generator starts. Default 0s.' },
      duration: { ...ref('duration'), description: "How long it sends. Default: the scenario's duration." },
      requests: {
        type: 'integer',
        minimum: 1,
        description: "How many requests it sends. Default: the scenario's requests.",
      },
    },
    { required: ['from'] },
  ),
};
