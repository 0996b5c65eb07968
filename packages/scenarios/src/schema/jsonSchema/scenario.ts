/** The root of the scenario JSON Schema: the top-level fields, and every definition. */
import { commonDefinitions, list, object, ref, type JsonSchema } from './common.js';
import { eventDefinitions } from './events.js';
import { expectDefinitions } from './expect.js';
import { meshDefinitions } from './mesh.js';
import { trafficDefinitions } from './traffic.js';
import { variantDefinitions } from './variants.js';
import { vmDefinitions } from './vms.js';
import { workloadDefinitions } from './workload.js';

/** Where the published schema lives (its `$id`). */
export const SCENARIO_SCHEMA_ID = 'https://meshsim.dev/schema/scenario.schema.json';

/** The scenario format as a JSON Schema (draft-07), for validation and for editors. */
export const scenarioSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCENARIO_SCHEMA_ID,
  title: 'meshsim scenario',
  ...object(
    'A meshsim scenario: the cluster (manifests and VMs), how its applications behave, the traffic, timed events, what-if variants and expectations. See docs/scenario-format.md.',
    {
      name: { ...ref('dnsLabel'), description: "The scenario's name (a DNS label)." },
      description: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\n\\r]*$',
        description: 'One line saying what it shows, listed by `meshsim scenarios`.',
      },
      seed: {
        type: 'integer',
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        default: 1,
        description: 'Master seed. Default 1.',
      },
      duration: { ...ref('duration'), description: 'Default duration of traffic generators.' },
      requests: { type: 'integer', minimum: 1, description: 'Default request count of traffic generators.' },
      manifests: { ...ref('manifestList'), description: 'The cluster: files, folders and inline objects.' },
      mesh: ref('mesh'),
      network: ref('network'),
      vms: list('VMs running istio-agent outside the cluster (mesh expansion).', ref('vm')),
      workloads: list('Application behaviour, by namespace and labels.', ref('workload')),
      traffic: list('Load generators.', ref('traffic'), { minItems: 1 }),
      events: list('Timed changes, in time order.', ref('event')),
      variants: list('Named what-if changes.', ref('variant')),
      expect: list('Assertions checked at the end of a run.', ref('expectation')),
    },
    { required: ['name', 'traffic'] },
  ),
  definitions: {
    ...commonDefinitions,
    ...meshDefinitions,
    ...workloadDefinitions,
    ...trafficDefinitions,
    ...eventDefinitions,
    ...variantDefinitions,
    ...vmDefinitions,
    ...expectDefinitions,
  },
};
