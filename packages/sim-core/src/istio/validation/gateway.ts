/**
 * Istio's validating-webhook checks of a Gateway (`ValidateGateway`, `validateServer`, `validateServerPort`,
 * `validateServerBind`, `validateTLSOptions` in istio/istio 1.29 `pkg/config/validation/validation.go`).
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import {
  arr,
  isHTTPProtocol,
  isIPAddress,
  isTLSProtocol,
  num,
  obj,
  parseProtocol,
  str,
  validatePort,
  type Json,
} from './common.js';
import { validateNamespaceSlashWildcardHostname } from './hostnames.js';

/** Validates a Gateway `spec` named `name`. */
export function validateGateway(spec: Json, name: string, out: IssueList): void {
  if (!isIstioDNS1123Label(name)) out.error(['metadata', 'name'], `invalid gateway name: ${JSON.stringify(name)}`);
  const servers = arr(spec['servers']);
  if (servers.length === 0) out.error(['spec', 'servers'], 'gateway must have at least one server');
  const portNames = new Set<string>();
  servers.forEach((s0, i) => {
    const at = ['spec', 'servers', i];
    const s = obj(s0);
    if (s === undefined) return out.error(at, 'server may not be nil');
    validateServer(s, at, out);
    const port = obj(s['port']);
    if (port !== undefined) {
      const pn = str(port['name']);
      if (portNames.has(pn))
        out.error([...at, 'port', 'name'], `port names in servers must be unique: duplicate name ${pn}`);
      portNames.add(pn);
      if (!isHTTPProtocol(parseProtocol(str(port['protocol']))) && obj(s['tls'])?.['httpsRedirect'] === true) {
        out.warning([...at, 'tls', 'httpsRedirect'], 'tls.httpsRedirect should only be used with http servers');
      }
    }
  });
}

function validateServer(s: Json, path: FieldPath, out: IssueList): void {
  const hosts = arr(s['hosts']).map(str);
  if (hosts.length === 0) out.error([...path, 'hosts'], 'server config must contain at least one host');
  hosts.forEach((h, i) => {
    for (const e of validateNamespaceSlashWildcardHostname(h, true)) out.error([...path, 'hosts', i], e);
  });
  const port = obj(s['port']);
  const bind = str(s['bind']);
  let portOk = true;
  if (port === undefined) {
    out.error(path, 'port is required');
    portOk = false;
  } else {
    const proto = parseProtocol(str(port['protocol']));
    if (proto === undefined) {
      out.error(
        [...path, 'port', 'protocol'],
        `invalid protocol ${JSON.stringify(str(port['protocol']))}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`,
      );
      portOk = false;
    }
    if (num(port['number']) > 0 || !bind.startsWith('unix://')) {
      const e = validatePort(num(port['number']));
      if (e !== undefined) {
        out.error([...path, 'port', 'number'], e);
        portOk = false;
      }
    }
    if (num(port['targetPort']) > 0) {
      out.error([...path, 'port', 'targetPort'], 'targetPort has no impact on Gateways');
      portOk = false;
    }
    if (str(port['name']) === '') {
      out.error(
        [...path, 'port', 'name'],
        `port name must be set: number:${num(port['number'])} protocol:${JSON.stringify(str(port['protocol']))}`,
      );
      portOk = false;
    }
  }
  if (bind.startsWith('unix://')) {
    const addr = bind.slice('unix://'.length);
    if (addr === '') out.error([...path, 'bind'], 'unix address must not be empty');
    else if (!addr.startsWith('@') && (!addr.startsWith('/') || addr.endsWith('/')))
      out.error([...path, 'bind'], `${addr} is not an absolute path to a file`);
    if (port !== undefined && num(port['number']) !== 0)
      out.error([...path, 'port', 'number'], 'port number must be 0 for unix domain socket');
  } else if (bind !== '' && !isIPAddress(bind)) out.error([...path, 'bind'], `${bind} is not a valid IP`);

  const tls = obj(s['tls']);
  validateServerTLS(tls, [...path, 'tls'], out);
  if (portOk && port !== undefined) {
    const p = parseProtocol(str(port['protocol']));
    if (isTLSProtocol(p) && tls === undefined) out.error(path, 'server must have TLS settings for HTTPS/TLS protocols');
    else if (!isTLSProtocol(p) && tls !== undefined) {
      if (isHTTPProtocol(p)) {
        const passthroughOnly =
          tls['httpsRedirect'] === true &&
          ['caCertificates', 'privateKey', 'serverCertificate'].every((f) => str(tls[f]) === '');
        if (!passthroughOnly) out.error([...path, 'tls'], 'server cannot have TLS settings for plain text HTTP ports');
      } else out.error([...path, 'tls'], 'server cannot have TLS settings for non HTTPS/TLS ports');
    }
  }
}

function validateServerTLS(tls: Json | undefined, path: FieldPath, out: IssueList): void {
  if (tls === undefined) return;
  const mode = str(tls['mode']) || 'PASSTHROUGH';
  const has = (f: string): boolean => str(tls[f]) !== '';
  const certs = arr(tls['tlsCertificates']);
  const credNames = arr(tls['credentialNames']);
  if (mode === 'ISTIO_MUTUAL') {
    if (has('serverCertificate')) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated server certificate');
    if (has('privateKey')) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated private key');
    if (has('caCertificates')) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated CA bundle');
    if (certs.length > 0) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated tlsCertificates');
    if (has('credentialName')) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated credentialName');
    if (credNames.length > 0) out.error(path, 'ISTIO_MUTUAL TLS cannot have associated credentialNames');
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    if (
      ['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'credentialName'].some(has) ||
      certs.length > 0 ||
      credNames.length > 0
    ) {
      out.warning(path, `${mode} mode does not use certificates, they will be ignored`);
    }
  }
  const sources = [
    has('serverCertificate') && has('privateKey'),
    has('credentialName'),
    credNames.length > 0,
    certs.length > 0,
  ].filter(Boolean).length;
  if (sources > 1)
    out.error(
      path,
      'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified',
    );
  const simpleOrMutual = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (simpleOrMutual && (has('credentialName') || credNames.length > 0)) return;
  if (simpleOrMutual) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !has('caCertificates')) out.error(path, `${prefix} requires a client CA bundle`);
    if (certs.length > 2)
      out.warning([...path, 'tlsCertificates'], `${prefix} can support up to 2 server certificates`);
    const toVerify =
      certs.length > 0
        ? certs.map((c) => obj(c) ?? {})
        : [{ serverCertificate: tls['serverCertificate'], privateKey: tls['privateKey'] }];
    for (const c of toVerify) {
      if (str(c['serverCertificate']) === '') out.error(path, `${prefix} requires a server certificate`);
      if (str(c['privateKey']) === '') out.error(path, `${prefix} requires a private key`);
    }
  }
  if (has('caCrl')) {
    if (has('credentialName'))
      out.error(
        [...path, 'caCrl'],
        'CRL is not supported with credentialName. CRL has to be specified in the credential',
      );
    if (mode === 'SIMPLE') out.error([...path, 'caCrl'], 'CRL is not supported with SIMPLE TLS');
  }
}
