/** JSON Schema of the `variants` section. */
import { list, object, ref, string, type JsonSchema } from './common.js';

const pointer = string('A JSON Pointer, e.g. /spec/http/0/route/1/weight.', { pattern: '^(/([^~]|~[01])*)*$' });

export const variantDefinitions: Record<string, JsonSchema> = {
  jsonPatchOperation: object(
    'An RFC 6902 JSON Patch operation.',
    {
      op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: pointer,
      from: pointer,
      value: { description: 'The value (add, replace, test).' },
    },
    { required: ['op', 'path'] },
  ),
  manifestPatch: object(
    'A patch of one base object: mergePatch (RFC 7386) and/or jsonPatch (RFC 6902).',
    {
      target: ref('objectRef'),
      mergePatch: {
        type: 'object',
        description: 'RFC 7386 JSON Merge Patch: objects merge, null deletes, lists replace.',
      },
      jsonPatch: list('RFC 6902 operations, applied in order.', ref('jsonPatchOperation'), { minItems: 1 }),
    },
    { required: ['target'] },
  ),
  variant: object(
    'A named what-if change.',
    {
      name: { ...ref('dnsLabel'), description: 'Unique name (not baseline).' },
      description: { type: 'string', description: 'One line saying what changes.' },
      patches: list('Patches of base objects.', ref('manifestPatch')),
      delete: list('Base objects to remove.', ref('objectRef')),
      manifests: {
        ...ref('manifestList'),
        description: 'Manifests applied over the base ones (same identity replaces).',
      },
      mesh: ref('mesh'),
      network: ref('network'),
      workloads: list("Workload entries layered after the scenario's.", ref('workload')),
    },
    { required: ['name'] },
  ),
};
