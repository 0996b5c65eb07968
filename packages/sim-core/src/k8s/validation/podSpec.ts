/**
 * The parts of Kubernetes' PodSpec validation (`pkg/apis/core/validation.ValidatePodSpec`) that decide what
 * meshsim simulates: containers and their names, container ports (numbers, IANA names, uniqueness,
 * protocols), probes' ports. Messages are Kubernetes' own.
 */
import type { FieldPath } from '../object.js';
import type { IssueList } from './issue.js';
import { dns1123LabelErrors, portNameErrors } from './names.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
type Json = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** Kubernetes `validatePortNumOrName` for a port field that is a number or an IANA service name. */
export function validatePortNumOrName(value: unknown, path: FieldPath, out: IssueList): void {
  if (typeof value === 'number') {
    if (value < 1 || value > 65535) out.error(path, `Invalid value: ${value}: must be between 1 and 65535, inclusive`);
  } else if (typeof value === 'string') {
    for (const e of portNameErrors(value)) out.error(path, `Invalid value: ${JSON.stringify(value)}: ${e}`);
  }
}

/** Validates a PodSpec at `path`. */
export function validatePodSpec(spec: Json, path: FieldPath, out: IssueList): void {
  const containers = arr(spec['containers']);
  if (containers.length === 0 && spec['containers'] !== undefined) out.error([...path, 'containers'], 'Required value');
  const names = new Set<string>();
  for (const field of ['initContainers', 'containers'] as const) {
    arr(spec[field]).forEach((c0, i) => {
      const c = obj(c0);
      if (c === undefined) return;
      const at = [...path, field, i];
      const name = c['name'];
      if (typeof name === 'string') {
        for (const e of dns1123LabelErrors(name))
          out.error([...at, 'name'], `Invalid value: ${JSON.stringify(name)}: ${e}`);
        if (names.has(name)) out.error([...at, 'name'], `Duplicate value: ${JSON.stringify(name)}`);
        names.add(name);
      }
      const portNames = new Set<string>();
      arr(c['ports']).forEach((p0, j) => {
        const p = obj(p0);
        if (p === undefined) return;
        const pat = [...at, 'ports', j];
        const cp = p['containerPort'];
        if (typeof cp === 'number' && (cp < 1 || cp > 65535))
          out.error([...pat, 'containerPort'], `Invalid value: ${cp}: must be between 1 and 65535, inclusive`);
        const hp = p['hostPort'];
        if (typeof hp === 'number' && hp !== 0 && (hp < 1 || hp > 65535))
          out.error([...pat, 'hostPort'], `Invalid value: ${hp}: must be between 1 and 65535, inclusive`);
        const pn = p['name'];
        if (typeof pn === 'string' && pn !== '') {
          for (const e of portNameErrors(pn)) out.error([...pat, 'name'], `Invalid value: ${JSON.stringify(pn)}: ${e}`);
          if (portNames.has(pn)) out.error([...pat, 'name'], `Duplicate value: ${JSON.stringify(pn)}`);
          portNames.add(pn);
        }
        const proto = p['protocol'];
        if (typeof proto === 'string' && !PROTOCOLS.includes(proto)) {
          out.error(
            [...pat, 'protocol'],
            `Unsupported value: ${JSON.stringify(proto)}: supported values: "SCTP", "TCP", "UDP"`,
          );
        }
      });
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const pr = obj(c[probe]);
        if (pr === undefined) continue;
        const httpGet = obj(pr['httpGet']);
        const tcp = obj(pr['tcpSocket']);
        if (httpGet !== undefined) validatePortNumOrName(httpGet['port'], [...at, probe, 'httpGet', 'port'], out);
        if (tcp !== undefined) validatePortNumOrName(tcp['port'], [...at, probe, 'tcpSocket', 'port'], out);
        const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => pr[h] !== undefined);
        if (handlers.length > 1) out.error([...at, probe], `Forbidden: may not specify more than 1 handler type`);
      }
    });
  }
}
