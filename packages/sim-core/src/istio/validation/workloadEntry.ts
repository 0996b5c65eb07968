/**
 * Istio's validating-webhook checks of WorkloadEntry and WorkloadGroup (`validateWorkloadEntry`,
 * `ValidateWorkloadGroup`, `validateReadinessProbe` in istio/istio 1.29 `pkg/config/validation/validation.go`);
 * also used for ServiceEntry `endpoints`.
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import {
  arr,
  isIPAddress,
  num,
  obj,
  present,
  sortedEntries,
  str,
  validateFQDN,
  validateLabels,
  validatePort,
  type Json,
} from './common.js';

/** Validates one workload entry (a WorkloadEntry spec, or a ServiceEntry endpoint when `servicePorts` is given). */
export function validateWorkloadEntry(
  we: Json,
  path: FieldPath,
  out: IssueList,
  servicePorts?: ReadonlySet<string>,
  allowFQDN = true,
): void {
  const addr = str(we['address']);
  if (addr === '') {
    if (str(we['network']) === '') return out.error(path, 'address is required');
    out.warning([...path, 'address'], `address is unset with network ${JSON.stringify(str(we['network']))}`);
  }
  const unix = addr.startsWith('unix://');
  if (unix) {
    const sock = addr.slice('unix://'.length);
    if (sock === '') out.error([...path, 'address'], 'unix address must not be empty');
    else if (!sock.startsWith('@') && (!sock.startsWith('/') || sock.endsWith('/')))
      out.error([...path, 'address'], `${sock} is not an absolute path to a file`);
    if (Object.keys(obj(we['ports']) ?? {}).length !== 0)
      out.error([...path, 'ports'], `unix endpoint ${addr} must not include ports`);
  } else if (addr !== '' && !isIPAddress(addr)) {
    if (!allowFQDN)
      out.error([...path, 'address'], `endpoint address ${JSON.stringify(addr)} is not a valid IP address`);
    else if (validateFQDN(addr) !== undefined)
      out.error([...path, 'address'], `endpoint address ${JSON.stringify(addr)} is not a valid FQDN or an IP address`);
  }
  validatePorts(we['ports'], [...path, 'ports'], out, servicePorts);
  validateLabels(we['labels'], [...path, 'labels'], out);
  if (unix && servicePorts !== undefined && servicePorts.size !== 1)
    out.error(path, 'exactly 1 service port required for unix endpoints');
}

/** An endpoint's `ports` map: names must be service port names (when known), numbers valid ports. */
export function validatePorts(
  ports: unknown,
  path: FieldPath,
  out: IssueList,
  servicePorts?: ReadonlySet<string>,
): void {
  for (const [name, port] of sortedEntries(ports)) {
    const at = [...path, name];
    if (servicePorts !== undefined && !servicePorts.has(name))
      out.error(at, `endpoint port ${num(port)} is not defined by the service entry`);
    if (!isIstioDNS1123Label(name)) out.error(at, `invalid port name: ${name}`);
    const e = validatePort(num(port));
    if (e !== undefined) out.error(at, e);
  }
}

/** Validates a WorkloadGroup `spec`. */
export function validateWorkloadGroup(spec: Json, out: IssueList): void {
  if (!present(spec['template'])) return out.error(['spec', 'template'], 'template is required');
  const meta = obj(spec['metadata']);
  if (meta !== undefined) validateLabels(meta['labels'], ['spec', 'metadata', 'labels'], out);
  const probe = obj(spec['probe']);
  if (probe === undefined) return;
  const at = ['spec', 'probe'];
  for (const f of ['periodSeconds', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold']) {
    if (num(probe[f]) < 0) out.error([...at, f], `${f} must be non-negative`);
  }
  const httpGet = obj(probe['httpGet']);
  const tcp = obj(probe['tcpSocket']);
  const exec = obj(probe['exec']);
  if (httpGet !== undefined) {
    const e = validatePort(num(httpGet['port']));
    if (e !== undefined) out.error([...at, 'httpGet', 'port'], e);
    const scheme = str(httpGet['scheme']);
    if (scheme !== '' && scheme !== 'HTTPS' && scheme !== 'HTTP')
      out.error([...at, 'httpGet', 'scheme'], 'httpGet.scheme must be one of "HTTPS", "HTTP"');
    arr(httpGet['httpHeaders']).forEach((h, i) => {
      const name = str(obj(h)?.['name']);
      if (name === '') out.error([...at, 'httpGet', 'httpHeaders', i, 'name'], 'header name cannot be empty');
      else if (!/^[-A-Za-z0-9]+$/.test(name))
        out.error([...at, 'httpGet', 'httpHeaders', i, 'name'], `header name ${name} is not a valid header name`);
    });
  } else if (tcp !== undefined) {
    const e = validatePort(num(tcp['port']));
    if (e !== undefined) out.error([...at, 'tcpSocket', 'port'], e);
  } else if (exec !== undefined) {
    if (arr(exec['command']).length === 0) out.error([...at, 'exec', 'command'], 'exec.command is required');
  } else out.error(at, 'unknown health check method <nil>');
}
