/** JSON Schema of the `events` section. Each event has `at` and exactly one action (checked after the schema). */
import { instanceTargetProperties, list, object, objectRefProperties, ref, type JsonSchema } from './common.js';
import { workloadBehaviorProperties } from './workload.js';

const forDuration = { ...ref('duration'), description: 'How long it lasts; default until reverted.' };

export const eventDefinitions: Record<string, JsonSchema> = {
  event: object(
    'A timed change: `at` and exactly one of apply, delete, scale, kill, unready, ready, setWorkload, partition, heal.',
    {
      at: { ...ref('duration'), description: 'When, from the start of the run.' },
      name: { type: 'string', description: 'A label for reports.' },
      apply: list('kubectl apply of these manifests (paths and inline objects).', ref('manifestSource'), {
        minItems: 1,
      }),
      delete: list(
        'kubectl delete of these objects (references, or paths of files whose objects are deleted).',
        {
          type: ['string', 'object'],
          description: 'A path (string) or an object reference.',
          minLength: 1,
          properties: objectRefProperties,
          additionalProperties: false,
          required: ['kind', 'name'],
        },
        { minItems: 1 },
      ),
      scale: object(
        "kubectl scale: a controller's replica count.",
        {
          kind: { type: 'string', enum: ['Deployment', 'StatefulSet', 'ReplicaSet'], default: 'Deployment' },
          namespace: ref('namespace'),
          name: ref('objectName'),
          replicas: { type: 'integer', minimum: 0 },
        },
        { required: ['name', 'replicas'] },
      ),
      kill: object('Pods die abruptly; their controller replaces them.', instanceTargetProperties),
      unready: object('Instances fail their readiness probe.', { ...instanceTargetProperties, duration: forDuration }),
      ready: object('Instances pass their readiness probe again.', instanceTargetProperties),
      setWorkload: object('A workloads entry that applies from now on.', {
        ...instanceTargetProperties,
        ...workloadBehaviorProperties,
        duration: forDuration,
      }),
      partition: object(
        'A node is cut off from the network.',
        { node: ref('objectName'), duration: forDuration },
        { required: ['node'] },
      ),
      heal: object('A partitioned node is reachable again.', { node: ref('objectName') }, { required: ['node'] }),
    },
    { required: ['at'] },
  ),
};
