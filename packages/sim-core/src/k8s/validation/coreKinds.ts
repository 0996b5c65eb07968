/**
 * Kubernetes' built-in validation of the core kinds meshsim models, beyond field types: Services
 * (`ValidateService`), workload controllers (`ValidateDeployment`/`ReplicaSet`/`StatefulSet`: selector
 * required and matching the template), Pods, EndpointSlices, ConfigMap/Secret keys. Messages are Kubernetes'.
 *
 * A Service's named `targetPort` that matches no container port of the selected pods is *not* an apiserver
 * error (the endpoints controller just leaves the port out); the mesh model reports it, with the pods at hand.
 */
import type { IssueList } from './issue.js';
import { isIPAddress } from './ip.js';
import { dns1123LabelErrors } from './names.js';
import { validateLabelMap } from './objectMeta.js';
import { validatePodSpec, validatePortNumOrName } from './podSpec.js';

type Json = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Validates the kind-specific parts of a core object (`kind` as in `knownKinds()`). */
export function validateCoreKind(kind: string, o: Json, out: IssueList): void {
  const spec = obj(o['spec']);
  switch (kind) {
    case 'Service':
      if (spec !== undefined) validateServiceSpec(spec, out);
      return;
    case 'Pod':
      if (spec === undefined) out.error(['spec'], 'Required value');
      else validatePodSpec(spec, ['spec'], out);
      return;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      if (spec === undefined) out.error(['spec'], 'Required value');
      else validateController(spec, out);
      return;
    case 'EndpointSlice': {
      const at = o['addressType'];
      if (typeof at === 'string' && !['IPv4', 'IPv6', 'FQDN'].includes(at))
        out.error(
          ['addressType'],
          `Unsupported value: ${JSON.stringify(at)}: supported values: "FQDN", "IPv4", "IPv6"`,
        );
      return;
    }
    case 'ConfigMap':
    case 'Secret':
      for (const field of ['data', 'binaryData', 'stringData']) {
        for (const key of Object.keys(obj(o[field]) ?? {}).sort()) {
          if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
            out.error(
              [field, key],
              `Invalid value: ${JSON.stringify(key)}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
            );
          }
        }
      }
      return;
  }
}

function validateServiceSpec(spec: Json, out: IssueList): void {
  const type = spec['type'] ?? 'ClusterIP';
  if (typeof type === 'string' && !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    out.error(
      ['spec', 'type'],
      `Unsupported value: ${JSON.stringify(type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    );
  }
  const ports = arr(spec['ports']);
  if (ports.length === 0 && type !== 'ExternalName' && spec['clusterIP'] !== 'None')
    out.error(['spec', 'ports'], 'Required value');
  const names = new Set<string>();
  ports.forEach((p0, i) => {
    const p = obj(p0);
    if (p === undefined) return;
    const at = ['spec', 'ports', i];
    const name = p['name'];
    if (ports.length > 1 && (name === undefined || name === '')) out.error([...at, 'name'], 'Required value');
    if (typeof name === 'string' && name !== '') {
      for (const e of dns1123LabelErrors(name))
        out.error([...at, 'name'], `Invalid value: ${JSON.stringify(name)}: ${e}`);
      if (names.has(name)) out.error([...at, 'name'], `Duplicate value: ${JSON.stringify(name)}`);
      names.add(name);
    }
    const port = p['port'];
    if (typeof port === 'number' && (port < 1 || port > 65535))
      out.error([...at, 'port'], `Invalid value: ${port}: must be between 1 and 65535, inclusive`);
    const proto = p['protocol'];
    if (typeof proto === 'string' && !['TCP', 'UDP', 'SCTP'].includes(proto)) {
      out.error(
        [...at, 'protocol'],
        `Unsupported value: ${JSON.stringify(proto)}: supported values: "SCTP", "TCP", "UDP"`,
      );
    }
    if (p['targetPort'] !== undefined && p['targetPort'] !== 0)
      validatePortNumOrName(p['targetPort'], [...at, 'targetPort'], out);
  });
  validateLabelMap(spec['selector'], ['spec', 'selector'], out);
  const clusterIP = spec['clusterIP'];
  if (typeof clusterIP === 'string' && clusterIP !== '' && clusterIP !== 'None' && !isIPAddress(clusterIP)) {
    out.error(
      ['spec', 'clusterIP'],
      `Invalid value: ${JSON.stringify(clusterIP)}: must be empty, 'None', or a valid IP address`,
    );
  }
  if (type === 'ExternalName' && typeof spec['externalName'] !== 'string')
    out.error(['spec', 'externalName'], 'Required value');
}

// apps/v1 controllers: `selector` is required and must select the pod template (ValidateDeploymentSpec & co).
function validateController(spec: Json, out: IssueList): void {
  const replicas = spec['replicas'];
  if (typeof replicas === 'number' && replicas < 0)
    out.error(['spec', 'replicas'], `Invalid value: ${replicas}: must be greater than or equal to 0`);
  const selector = obj(spec['selector']);
  if (selector === undefined) {
    out.error(['spec', 'selector'], 'Required value');
    return;
  }
  const matchLabels = obj(selector['matchLabels']) ?? {};
  const exprs = arr(selector['matchExpressions']);
  if (Object.keys(matchLabels).length === 0 && exprs.length === 0) {
    out.error(['spec', 'selector'], 'Invalid value: "null": empty selector is invalid for deployment');
  }
  validateLabelMap(matchLabels, ['spec', 'selector', 'matchLabels'], out);
  const template = obj(spec['template']);
  const labels = obj(obj(template?.['metadata'])?.['labels']) ?? {};
  validateLabelMap(labels, ['spec', 'template', 'metadata', 'labels'], out);
  const matches =
    Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
    exprs.every((e0) => {
      const e = obj(e0) ?? {};
      const key = String(e['key']);
      const values = arr(e['values']).map(String);
      switch (e['operator']) {
        case 'In':
          return key in labels && values.includes(String(labels[key]));
        case 'NotIn':
          return !(key in labels) || !values.includes(String(labels[key]));
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          return true;
      }
    });
  if (!matches) {
    const shown = Object.entries(labels)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(', ');
    out.error(
      ['spec', 'template', 'metadata', 'labels'],
      `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``,
    );
  }
  const podSpec = obj(template?.['spec']);
  if (template === undefined) out.error(['spec', 'template'], 'Required value');
  else if (podSpec !== undefined) validatePodSpec(podSpec, ['spec', 'template', 'spec'], out);
}
