/**
 * Istio's validating-webhook checks of a ServiceEntry (`ValidateServiceEntry` in istio/istio 1.29
 * `pkg/config/validation/validation.go`). IP auto-allocation (v2, on by default since 1.25) is assumed on,
 * so the "addresses are required for ports serving TCP" warning is raised only when the entry cannot get an
 * address: resolution NONE, or the `networking.istio.io/enable-autoallocate-ip: "false"` label
 * (`shouldV2AutoAllocateIPFromPieces` in `pilot/pkg/networking/serviceentry/ip_autoallocation.go`).
 */
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import {
  arr,
  isHTTPProtocol,
  isIPAddress,
  isTCPProtocol,
  isTLSProtocol,
  num,
  obj,
  parseProtocol,
  present,
  sortedEntries,
  str,
  validateExportTo,
  validateFQDN,
  validateIPSubnet,
  validateLabels,
  validatePartialWildcard,
  validatePort,
  validateSelectorLabels,
  validateWildcardDomain,
  type Json,
} from './common.js';
import { isWildcarded } from './host.js';
import { validateWorkloadEntry } from './workloadEntry.js';

/** Validates a ServiceEntry `spec` in namespace `namespace`; `labels` are the object's labels. */
export function validateServiceEntry(
  spec: Json,
  namespace: string,
  labels: Readonly<Record<string, string>>,
  out: IssueList,
): void {
  const S = ['spec'] as const;
  const resolution = str(spec['resolution']) || 'NONE';
  const selector = obj(spec['workloadSelector']);
  if (!validateSelectorLabels(selector, [...S, 'workloadSelector'], 'service entry', out)) return;
  if (selector !== undefined && present(spec['endpoints']))
    out.error(S, 'only one of WorkloadSelector or Endpoints is allowed in Service Entry');

  const hosts = arr(spec['hosts']).map(str);
  if (hosts.length === 0) out.error([...S, 'hosts'], 'service entry must have at least one host');
  hosts.forEach((h, i) => {
    if (h === '*') return out.error([...S, 'hosts', i], `invalid host ${h}`);
    const e = validateWildcardDomain(h);
    if (e !== undefined) out.error([...S, 'hosts', i], e);
    if (resolution !== 'DYNAMIC_DNS') {
      const pw = validatePartialWildcard(h);
      if (pw !== undefined) out.warning([...S, 'hosts', i], pw);
    }
  });

  const addresses = arr(spec['addresses']).map(str);
  let cidr = false;
  addresses.forEach((a, i) => {
    cidr ||= a.includes('/');
    const e = validateIPSubnet(a);
    if (e !== undefined) out.error([...S, 'addresses', i], e);
  });
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC')
    out.error([...S, 'addresses'], 'CIDR addresses are allowed only for NONE/STATIC resolution types');

  const autoAllocate =
    resolution !== 'NONE' && (labels['networking.istio.io/enable-autoallocate-ip'] ?? '').toLowerCase() !== 'false';
  const portNames = new Set<string>();
  const portNumbers = new Set<number>();
  const ports = arr(spec['ports']);
  ports.forEach((p0, i) => {
    const at = [...S, 'ports', i];
    const p = obj(p0);
    if (p === undefined) return out.error(at, 'service entry port may not be null');
    const name = str(p['name']);
    const number = num(p['number']);
    if (portNames.has(name))
      out.error([...at, 'name'], `service entry port name ${JSON.stringify(name)} already defined`);
    if (portNumbers.has(number)) out.error([...at, 'number'], `service entry port ${number} already defined`);
    portNames.add(name);
    portNumbers.add(number);
    if (num(p['targetPort']) !== 0) {
      const e = validatePort(num(p['targetPort']));
      if (e !== undefined) out.error([...at, 'targetPort'], e);
    }
    const proto = str(p['protocol']);
    if (addresses.length === 0 && !autoAllocate && (proto === '' || proto === 'TCP')) {
      out.warning(
        at,
        'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled',
      );
    }
    if (!isIstioDNS1123Label(name)) out.error([...at, 'name'], `invalid port name: ${name}`);
    if (proto !== '' && parseProtocol(proto) === undefined)
      out.error([...at, 'protocol'], `unsupported protocol: ${proto}`);
    const pe = validatePort(number);
    if (pe !== undefined) out.error([...at, 'number'], pe);
  });

  const endpoints = arr(spec['endpoints']);
  switch (resolution) {
    case 'NONE':
      if (endpoints.length !== 0)
        out.error([...S, 'endpoints'], 'no endpoints should be provided for resolution type none');
      if (selector !== undefined)
        out.warning([...S, 'workloadSelector'], 'workloadSelector should not be set when resolution mode is NONE');
      break;
    case 'STATIC':
      endpoints.forEach((e, i) => {
        const ep = obj(e);
        if (ep === undefined) out.error([...S, 'endpoints', i], 'endpoint cannot be nil');
        else validateWorkloadEntry(ep, [...S, 'endpoints', i], out, portNames, false);
      });
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        for (let i = 0; i < hosts.length; i++) {
          const e = validateFQDN(hosts[i] ?? '');
          if (e !== undefined) {
            out.error(
              [...S, 'hosts', i],
              `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${e}`,
            );
            break;
          }
        }
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
        out.error([...S, 'endpoints'], `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
      }
      endpoints.forEach((e, i) => {
        const at = [...S, 'endpoints', i];
        const ep = obj(e);
        if (ep === undefined) return out.error(at, 'endpoint cannot be nil');
        const addr = str(ep['address']);
        if (!isIPAddress(addr) && validateFQDN(addr) !== undefined)
          out.error(
            [...at, 'address'],
            `endpoint address ${JSON.stringify(addr)} is not a valid FQDN or an IP address`,
          );
        validateLabels(ep['labels'], [...at, 'labels'], out);
        for (const [name, port] of sortedEntries(ep['ports'])) {
          if (!portNames.has(name))
            out.error([...at, 'ports', name], `endpoint port ${num(port)} is not defined by the service entry`);
          if (!isIstioDNS1123Label(name)) out.error([...at, 'ports', name], `invalid port name: ${name}`);
          const pe = validatePort(num(port));
          if (pe !== undefined) out.error([...at, 'ports', name], pe);
        }
      });
      if (
        addresses.length > 0 &&
        hosts.length > 1 &&
        ports.some((p) => isTCPProtocol(parseProtocol(str(obj(p)?.['protocol']))))
      ) {
        out.warning(
          [...S, 'hosts'],
          'service entry can not have more than one host specified simultaneously with address and tcp port',
        );
      }
      break;
    case 'DYNAMIC_DNS':
      hosts.forEach((h, i) => {
        if (!isWildcarded(h))
          out.error([...S, 'hosts', i], `host must be wildcarded for resolution mode ${resolution}`);
      });
      if (addresses.length !== 0) {
        out.error(
          [...S, 'addresses'],
          `addresses cannot be set for resolution type ${resolution}. HTTP route domains will only be generatedfrom the hosts field values`,
        );
      }
      if (endpoints.length !== 0) {
        out.error(
          [...S, 'endpoints'],
          `endpoints cannot be set for resolution type ${resolution}. Destination IP address determined from hostsfield values`,
        );
      }
      ports.forEach((p, i) => {
        const proto = parseProtocol(str(obj(p)?.['protocol']));
        if (proto !== 'HTTP' && proto !== 'TLS')
          out.error(
            [...S, 'ports', i, 'protocol'],
            `only HTTP and TLS protocol is supported for resolution type ${resolution}`,
          );
      });
      if (str(spec['location']) !== 'MESH_EXTERNAL')
        out.error([...S, 'location'], `location must be MESH_EXTERNAL for resolution type ${resolution}`);
      break;
    default:
      out.error([...S, 'resolution'], `unsupported resolution type ${resolution}`);
  }
  // Plain TCP cannot tell several hosts apart, unless resolution NONE ignores them.
  if (resolution !== 'NONE' && hosts.length > 1) {
    const bad = ports.findIndex((p) => {
      const proto = parseProtocol(str(obj(p)?.['protocol']));
      return !isHTTPProtocol(proto) && !isTLSProtocol(proto);
    });
    if (bad >= 0) out.error([...S, 'ports', bad], 'multiple hosts provided with non-HTTP, non-TLS ports');
  }
  validateExportTo(namespace, spec['exportTo'], [...S, 'exportTo'], out, { serviceEntry: true });
}
