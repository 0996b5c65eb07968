/**
 * Istio's validating-webhook checks of a Sidecar (`ValidateSidecar`, `validateSidecarEgressPortBindAndCaptureMode`,
 * `validateSidecarIngressPortAndBind`, `validateSidecarOutboundTrafficPolicy` in istio/istio 1.29
 * `pkg/config/validation/validation.go`). Ingress TLS settings are checked only for the mode.
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import {
  arr,
  isIPAddress,
  num,
  obj,
  parseProtocol,
  present,
  str,
  validateFQDN,
  validatePort,
  validateSelectorLabels,
  type Json,
} from './common.js';
import { validateNamespaceSlashWildcardHostname } from './hostnames.js';
import { validateDestination } from './routeDestination.js';

function validatePortAndBind(
  port: Json,
  bind: string,
  path: FieldPath,
  out: IssueList,
  egress: boolean,
  captureMode: string,
): void {
  const name = str(port['name']);
  if (name !== '' && !isIstioDNS1123Label(name)) out.error([...path, 'port', 'name'], `invalid port name: ${name}`);
  const proto = str(port['protocol']);
  if (proto !== '' && parseProtocol(proto) === undefined)
    out.error([...path, 'port', 'protocol'], `unsupported protocol: ${proto}`);
  if (egress && num(port['number']) === 0) {
    if (!bind.startsWith('unix://'))
      out.error([...path, 'bind'], 'sidecar: ports with 0 value must have a unix domain socket bind address');
    if (captureMode !== '' && captureMode !== 'DEFAULT' && captureMode !== 'NONE') {
      out.error([...path, 'captureMode'], 'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners');
    }
    return;
  }
  const e = validatePort(num(port['number']));
  if (e !== undefined) out.error([...path, 'port', 'number'], e);
  if (bind !== '' && !isIPAddress(bind)) out.error([...path, 'bind'], `${bind} is not a valid IP`);
}

/** Validates a Sidecar `spec` in namespace `namespace`. */
export function validateSidecar(spec: Json, namespace: string, out: IssueList): void {
  const S = ['spec'] as const;
  const selector = obj(spec['workloadSelector']);
  if (!validateSelectorLabels(selector, [...S, 'workloadSelector'], 'sidecar', out)) return;
  const ingress = arr(spec['ingress']);
  const egress = arr(spec['egress']);
  if (
    ingress.length === 0 &&
    egress.length === 0 &&
    !present(spec['outboundTrafficPolicy']) &&
    !present(spec['inboundConnectionPool'])
  ) {
    return out.error(S, 'sidecar: empty configuration provided');
  }
  const ingressPorts = new Set<number>();
  ingress.forEach((i0, i) => {
    const at = [...S, 'ingress', i];
    const ing = obj(i0);
    if (ing === undefined) return out.error(at, 'sidecar: ingress may not be null');
    const port = obj(ing['port']);
    if (port === undefined) return out.error(at, 'sidecar: port is required for ingress listeners');
    if (num(port['targetPort']) > 0) out.error([...at, 'port', 'targetPort'], 'targetPort has no impact on Sidecars');
    const bind = str(ing['bind']);
    validatePortAndBind(port, bind, at, out, false, '');
    if (ingressPorts.has(num(port['number'])))
      out.error([...at, 'port', 'number'], 'sidecar: ports on IP bound listeners must be unique');
    ingressPorts.add(num(port['number']));
    const tlsMode = str(obj(ing['tls'])?.['mode']);
    if (tlsMode === 'ISTIO_MUTUAL' || tlsMode === 'AUTO_PASSTHROUGH') {
      out.error(
        [...at, 'tls', 'mode'],
        `configuration is invalid: cannot set mode to ${tlsMode} in sidecar ingress tls`,
      );
    }
  });
  const egressPorts = new Set<number>();
  const uds = new Set<string>();
  let catchAll = false;
  egress.forEach((e0, i) => {
    const at = [...S, 'egress', i];
    const eg = obj(e0);
    if (eg === undefined) return out.error(at, 'egress listener may not be null');
    const port = obj(eg['port']);
    const bind = str(eg['bind']);
    if (port === undefined) {
      if (catchAll) out.error(at, 'sidecar: egress can have only one listener with empty port');
      else if (i !== egress.length - 1)
        out.error(at, 'sidecar: the egress listener with empty port should be the last listener in the list');
      catchAll = true;
    } else {
      if (num(port['targetPort']) > 0) out.error([...at, 'port', 'targetPort'], 'targetPort has no impact on Sidecars');
      validatePortAndBind(port, bind, at, out, true, str(eg['captureMode']));
      if (bind.startsWith('unix://')) {
        if (uds.has(bind))
          out.error([...at, 'bind'], 'sidecar: unix domain socket values for listeners must be unique');
        uds.add(bind);
      } else {
        if (egressPorts.has(num(port['number'])))
          out.error([...at, 'port', 'number'], 'sidecar: ports on IP bound listeners must be unique');
        egressPorts.add(num(port['number']));
      }
    }
    const hosts = arr(eg['hosts']).map(str);
    if (hosts.length === 0)
      return out.error([...at, 'hosts'], 'sidecar: egress listener must contain at least one host');
    const seen = new Map<string, Set<string>>();
    hosts.forEach((h, j) => {
      const slash = h.indexOf('/');
      if (slash >= 0) {
        const ns = h.slice(0, slash) === '.' ? namespace : h.slice(0, slash);
        const svc = h.slice(slash + 1);
        const set = seen.get(ns) ?? new Set<string>();
        if (svc !== '*' ? set.has(svc) || set.has('*') : set.size !== 0)
          out.warning([...at, 'hosts', j], `duplicated egress host: ${h}`);
        set.add(svc);
        seen.set(ns, set);
      }
      for (const e of validateNamespaceSlashWildcardHostname(h, false)) out.error([...at, 'hosts', j], e);
    });
    if (seen.get('*')?.has('*') === true && seen.size !== 1)
      out.warning([...at, 'hosts'], '`*/*` host select all resources, no other hosts can be added');
  });
  const tp = obj(spec['outboundTrafficPolicy']);
  const proxy = obj(tp?.['egressProxy']);
  if (tp !== undefined && proxy !== undefined) {
    const at = [...S, 'outboundTrafficPolicy', 'egressProxy'];
    if ((str(tp['mode']) || 'REGISTRY_ONLY') !== 'ALLOW_ANY') {
      return out.error(at, 'sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode');
    }
    const e = validateFQDN(str(proxy['host']));
    if (e !== undefined) out.error([...at, 'host'], e);
    if (!present(proxy['port'])) return out.error(at, 'sidecar: egress_proxy port must be non-nil');
    validateDestination(proxy, at, out);
  }
}
