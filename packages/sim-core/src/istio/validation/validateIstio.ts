/**
 * All validation of an Istio resource, in the order `kubectl apply` meets it: the CRD's OpenAPI schema and
 * CEL rules (apiserver), then Istio's validating webhook. As in the apiserver, the webhook is consulted only
 * when the schema holds, so one mistake yields one error.
 */
import type { KubeObject } from '../../k8s/object.js';
import { IssueList, type ValidationIssue } from '../../k8s/validation/issue.js';
import { validateKubeValue } from '../../k8s/validation/kubeStructural.js';
import { validateObjectMeta } from '../../k8s/validation/objectMeta.js';
import { ISTIO_CRD_SCHEMAS } from './crd/crdSchemas.gen.js';
import { validateAgainstSchema } from './crd/structural.js';
import { obj, type Json } from './common.js';
import { validateDestinationRule } from './destinationRule.js';
import { validateGateway } from './gateway.js';
import { validatePeerAuthentication } from './security.js';
import { validateServiceEntry } from './serviceEntry.js';
import { validateSidecar } from './sidecar.js';
import { validateVirtualService } from './virtualService.js';
import { validateWorkloadEntry, validateWorkloadGroup } from './workloadEntry.js';

const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/** Whether meshsim has Istio's CRD schema for `group/kind`. */
export function isIstioKind(group: string, kind: string): boolean {
  return ISTIO_CRD_SCHEMAS[`${group}/${kind}`] !== undefined;
}

/** Validates an Istio resource of API group `group`: CRD schema + CEL, then Istio's webhook. */
export function validateIstioObject(o: KubeObject, group: string): ValidationIssue[] {
  const schemaIssues = new IssueList('schema');
  const celIssues = new IssueList('cel');
  const crd = ISTIO_CRD_SCHEMAS[`${group}/${o.kind}`];
  const plain = o as unknown as Json;
  for (const key of Object.keys(plain)) {
    if (key !== 'source' && !TOP_LEVEL.includes(key)) schemaIssues.error([key], `unknown field ${JSON.stringify(key)}`);
  }
  validateKubeValue(plain['metadata'], 'meta.v1.ObjectMeta', ['metadata'], schemaIssues);
  validateObjectMeta(obj(plain['metadata']) ?? {}, o.kind, true, schemaIssues);
  if (crd !== undefined) {
    const props = crd.schema.properties ?? {};
    for (const field of ['spec', 'status'] as const) {
      const s = props[field];
      if (plain[field] !== undefined && s !== undefined)
        validateAgainstSchema(plain[field], s, [field], schemaIssues, celIssues);
    }
  }
  const early = [...schemaIssues.issues, ...celIssues.issues];
  if (early.length > 0) return early;

  const webhook = new IssueList('webhook');
  const spec = obj(plain['spec']) ?? {};
  const ns = o.metadata.namespace ?? 'default';
  const annotations = o.metadata.annotations ?? {};
  if ('istio.io/dry-run' in annotations && o.kind !== 'AuthorizationPolicy') {
    webhook.error(
      ['metadata', 'annotations', 'istio.io/dry-run'],
      `${ns}/${o.metadata.name} has unsupported annotation istio.io/dry-run, please remove the annotation`,
    );
  }
  if ('istio.io/alwaysReject' in annotations)
    webhook.error(
      ['metadata', 'annotations', 'istio.io/alwaysReject'],
      '"istio.io/alwaysReject" annotation found, rejecting',
    );
  switch (o.kind) {
    case 'VirtualService':
      validateVirtualService(spec, ns, webhook);
      break;
    case 'DestinationRule':
      validateDestinationRule(spec, ns, webhook);
      break;
    case 'Gateway':
      validateGateway(spec, o.metadata.name, webhook);
      break;
    case 'ServiceEntry':
      validateServiceEntry(spec, ns, o.metadata.labels ?? {}, webhook);
      break;
    case 'Sidecar':
      validateSidecar(spec, ns, webhook);
      break;
    case 'WorkloadEntry':
      validateWorkloadEntry(spec, ['spec'], webhook);
      break;
    case 'WorkloadGroup':
      validateWorkloadGroup(spec, webhook);
      break;
    case 'PeerAuthentication':
      validatePeerAuthentication(spec, webhook);
      break;
  }
  return webhook.issues;
}
