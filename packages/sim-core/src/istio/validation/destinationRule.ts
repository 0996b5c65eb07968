/**
 * Istio's validating-webhook checks of a DestinationRule beyond its CRD schema (`ValidateDestinationRule`,
 * `validateTrafficPolicy`, `validateOutlierDetection`, `validateConnectionPool`, `validateLoadBalancer`,
 * `agent.ValidateTLS`, `agent.ValidateLocalityLbSetting` in istio/istio 1.29 `pkg/config/validation`).
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
  validateDuration,
  validateExportTo,
  validateFQDN,
  validateLabels,
  validatePercent,
  validatePort,
  validateWildcardDomain,
  validateWorkloadSelector,
  type Json,
} from './common.js';

/** Validates a DestinationRule `spec` in namespace `namespace`. */
export function validateDestinationRule(spec: Json, namespace: string, out: IssueList): void {
  const S = ['spec'] as const;
  const hostErr = validateWildcardDomain(str(spec['host']));
  if (hostErr !== undefined) out.error([...S, 'host'], hostErr);
  validateTrafficPolicy(spec['trafficPolicy'], [...S, 'trafficPolicy'], out);
  const names = new Set<string>();
  arr(spec['subsets']).forEach((s0, i) => {
    const at = [...S, 'subsets', i];
    const s = obj(s0);
    if (s === undefined) return out.error(at, 'subset may not be null');
    const name = str(s['name']);
    if (names.has(name)) out.error([...at, 'name'], `duplicate subset names: ${name}`);
    names.add(name);
    if (name === '') out.error([...at, 'name'], 'subset name cannot be empty');
    else if (!isIstioDNS1123Label(name)) out.error([...at, 'name'], `subset name is invalid: ${name}`);
    validateLabels(s['labels'], [...at, 'labels'], out);
    validateTrafficPolicy(s['trafficPolicy'], [...at, 'trafficPolicy'], out);
  });
  validateExportTo(namespace, spec['exportTo'], [...S, 'exportTo'], out, {
    destinationRuleWithSelector: present(spec['workloadSelector']),
  });
  validateWorkloadSelector(spec['workloadSelector'], [...S, 'workloadSelector'], out);
}

function validateTrafficPolicy(policy0: unknown, path: FieldPath, out: IssueList): void {
  const p = obj(policy0);
  if (p === undefined) return;
  const fields = [
    'outlierDetection',
    'connectionPool',
    'loadBalancer',
    'tls',
    'portLevelSettings',
    'tunnel',
    'proxyProtocol',
    'retryBudget',
  ];
  if (!fields.some((f) => present(p[f]))) return out.error(path, 'traffic policy must have at least one field');
  if (present(p['tunnel']) && present(p['proxyProtocol']))
    return out.error(path, 'tunnel and proxyProtocol must not be set together');
  validateOutlierDetection(obj(p['outlierDetection']), [...path, 'outlierDetection'], out);
  validateConnectionPool(obj(p['connectionPool']), [...path, 'connectionPool'], out);
  validateLoadBalancer(obj(p['loadBalancer']), obj(p['outlierDetection']), [...path, 'loadBalancer'], out);
  validateClientTLS(obj(p['tls']), [...path, 'tls'], out);
  arr(p['portLevelSettings']).forEach((t0, i) => {
    const at = [...path, 'portLevelSettings', i];
    const t = obj(t0);
    if (t === undefined) return out.error(at, 'traffic policy may not be null');
    if (!present(t['port'])) out.error(at, 'portTrafficPolicy must have valid port');
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((f) => present(t[f]))) {
      return out.error(at, 'port traffic policy must have at least one field');
    }
    validateOutlierDetection(obj(t['outlierDetection']), [...at, 'outlierDetection'], out);
    validateConnectionPool(obj(t['connectionPool']), [...at, 'connectionPool'], out);
    validateLoadBalancer(obj(t['loadBalancer']), obj(t['outlierDetection']), [...at, 'loadBalancer'], out);
    validateClientTLS(obj(t['tls']), [...at, 'tls'], out);
  });
  const tunnel = obj(p['tunnel']);
  if (tunnel !== undefined) {
    const at = [...path, 'tunnel'];
    const proto = str(tunnel['protocol']);
    if (proto !== '' && proto !== 'CONNECT' && proto !== 'POST')
      out.error([...at, 'protocol'], 'tunnel protocol must be "CONNECT" or "POST"');
    const target = str(tunnel['targetHost']);
    const fqdn = validateFQDN(target);
    if (fqdn !== undefined && !isIPAddress(target)) {
      out.error(
        [...at, 'targetHost'],
        `tunnel target host must be valid FQDN or IP address: ${fqdn}; ${target} is not a valid IP`,
      );
    }
    const pe = validatePort(num(tunnel['targetPort']));
    if (pe !== undefined) out.error([...at, 'targetPort'], `tunnel target port is invalid: ${pe}`);
  }
  const pp = obj(p['proxyProtocol']);
  if (pp !== undefined) {
    const v = pp['version'];
    if (v !== undefined && v !== 'V1' && v !== 'V2' && v !== 0 && v !== 1)
      out.error([...path, 'proxyProtocol', 'version'], `proxy protocol version is invalid: ${String(v)}`);
  }
}

function duration(value: unknown, path: FieldPath, out: IssueList): void {
  if (!present(value)) return;
  const e = validateDuration(value);
  if (e !== undefined) out.error(path, e);
}

function validateOutlierDetection(o: Json | undefined, path: FieldPath, out: IssueList): void {
  if (o === undefined) return;
  duration(o['baseEjectionTime'], [...path, 'baseEjectionTime'], out);
  if (num(o['consecutiveErrors']) !== 0) {
    out.warning(
      [...path, 'consecutiveErrors'],
      'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
    );
  }
  if (o['splitExternalLocalOriginErrors'] !== true && num(o['consecutiveLocalOriginFailures']) > 0) {
    out.error(
      [...path, 'consecutiveLocalOriginFailures'],
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
    );
  }
  duration(o['interval'], [...path, 'interval'], out);
  for (const f of ['maxEjectionPercent', 'minHealthPercent'] as const) {
    const e = validatePercent(num(o[f]));
    if (e !== undefined) out.error([...path, f], e);
  }
}

function validateConnectionPool(c: Json | undefined, path: FieldPath, out: IssueList): void {
  if (c === undefined) return;
  const http = obj(c['http']);
  const tcp = obj(c['tcp']);
  if (http === undefined && tcp === undefined) return out.error(path, 'connection pool must have at least one field');
  if (http !== undefined) {
    const at = [...path, 'http'];
    const nonNegative: [string, string][] = [
      ['http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
      ['http2MaxRequests', 'http2 max requests must be non-negative'],
      ['maxRequestsPerConnection', 'max requests per connection must be non-negative'],
      ['maxRetries', 'max retries must be non-negative'],
      ['maxConcurrentStreams', 'max concurrent streams must be non-negative'],
    ];
    for (const [f, msg] of nonNegative) if (num(http[f]) < 0) out.error([...at, f], msg);
    duration(http['idleTimeout'], [...at, 'idleTimeout'], out);
    if (http['h2UpgradePolicy'] === 'UPGRADE' && http['useClientProtocol'] === true) {
      out.error([...at, 'useClientProtocol'], 'use client protocol must not be true when H2UpgradePolicy is UPGRADE');
    }
  }
  if (tcp !== undefined) {
    const at = [...path, 'tcp'];
    if (num(tcp['maxConnections']) < 0) out.error([...at, 'maxConnections'], 'max connections must be non-negative');
    duration(tcp['connectTimeout'], [...at, 'connectTimeout'], out);
    duration(tcp['maxConnectionDuration'], [...at, 'maxConnectionDuration'], out);
    // `idleTimeout: 0s` disables the timeout and is allowed.
    if (present(tcp['idleTimeout']) && !/^[+-]?0+(\.0*)?[a-zµμ]*$/.test(str(tcp['idleTimeout'])))
      duration(tcp['idleTimeout'], [...at, 'idleTimeout'], out);
    const ka = obj(tcp['tcpKeepalive']);
    if (ka !== undefined) {
      duration(ka['time'], [...at, 'tcpKeepalive', 'time'], out);
      duration(ka['interval'], [...at, 'tcpKeepalive', 'interval'], out);
    }
  }
}

// Envoy's IsPrime (source/common/common/utility.cc), which Istio copies for maglev table sizes.
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

function validateLoadBalancer(lb: Json | undefined, outlier: Json | undefined, path: FieldPath, out: IssueList): void {
  if (lb === undefined) return;
  const ch = obj(lb['consistentHash']);
  if (ch !== undefined) {
    const at = [...path, 'consistentHash'];
    const cookie = obj(ch['httpCookie']);
    if (cookie !== undefined && str(cookie['name']) === '')
      out.error([...at, 'httpCookie', 'name'], 'name required for HttpCookie');
    const attrNames = new Set<string>();
    arr(cookie?.['attributes']).forEach((a, i) => {
      const name = str(obj(a)?.['name']);
      if (name === '') out.error([...at, 'httpCookie', 'attributes', i], 'cookie attribute name cannot be empty');
      else if (attrNames.has(name))
        out.error([...at, 'httpCookie', 'attributes', i], `duplicate cookie attribute name: ${name}`);
      attrNames.add(name);
    });
    if (num(ch['minimumRingSize']) !== 0) {
      out.warning(
        [...at, 'minimumRingSize'],
        "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
      );
      if (present(ch['ringHash']) || present(ch['maglev']))
        out.error(at, 'only one of MinimumRingSize or Maglev/Ringhash can be specified');
    }
    const maglev = obj(ch['maglev']);
    if (maglev !== undefined) {
      const size = num(maglev['tableSize']);
      if (size === 0) out.error([...at, 'maglev', 'tableSize'], 'tableSize must be set for maglev');
      if (size >= 5000011) out.error([...at, 'maglev', 'tableSize'], 'tableSize must be less than 5000011 for maglev');
      if (!isPrime(size)) out.error([...at, 'maglev', 'tableSize'], 'tableSize must be a prime number for maglev');
    }
  }
  validateLocalityLb(obj(lb['localityLbSetting']), outlier, [...path, 'localityLbSetting'], out);
  const warm = obj(lb['warmup']);
  if (warm !== undefined) {
    const at = [...path, 'warmup'];
    if (!present(warm['duration'])) out.error(at, 'duration is required');
    else duration(warm['duration'], [...at, 'duration'], out);
    if (num(warm['minimumPercent']) > 100)
      out.error([...at, 'minimumPercent'], 'minimumPercent value should be less than or equal to 100');
    if (present(warm['aggression']) && num(warm['aggression']) < 1)
      out.error([...at, 'aggression'], 'aggression should be greater than or equal to 1');
  }
}

function validateLocalityLb(lb: Json | undefined, outlier: Json | undefined, path: FieldPath, out: IssueList): void {
  if (lb === undefined) return;
  const distribute = arr(lb['distribute']);
  const failover = arr(lb['failover']);
  const priority = arr(lb['failoverPriority']).map(str);
  if (distribute.length > 0 && failover.length > 0)
    return out.error(path, "can not simultaneously specify 'distribute' and 'failover'");
  if (failover.length > 0) {
    const topo = priority.find((l) =>
      ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'].includes(l),
    );
    if (topo !== undefined)
      return out.error(
        [...path, 'failoverPriority'],
        `can not simultaneously set 'failover' and topology label '${topo}' in 'failover_priority'`,
      );
  }
  for (let i = 0; i < distribute.length; i++) {
    let total = 0;
    for (const [, w] of sortedEntries(obj(distribute[i])?.['to'])) {
      if (num(w) <= 0 || num(w) > 100)
        return out.error([...path, 'distribute', i, 'to'], 'locality weight must be in range [1, 100]');
      total += num(w);
    }
    if (total !== 100) return out.error([...path, 'distribute', i, 'to'], `total locality weight ${total} != 100`);
  }
  if ((failover.length > 0 || priority.length > 0) && outlier === undefined)
    out.warning(path, 'outlier detection policy must be provided for failover');
  failover.forEach((f0, i) => {
    const from = str(obj(f0)?.['from']);
    const to = str(obj(f0)?.['to']);
    const at = [...path, 'failover', i];
    if (from === to) out.error(at, 'locality lb failover settings must specify different regions');
    if (from.includes('/') || to.includes('/')) out.error(at, 'locality lb failover only specify region');
    if (from.includes('*') || to.includes('*'))
      out.error(at, "locality lb failover region should not contain '*' wildcard");
  });
}

/** `agent.ValidateTLS` (ClientTLSSettings of a DestinationRule). */
function validateClientTLS(tls: Json | undefined, path: FieldPath, out: IssueList): void {
  if (tls === undefined) return;
  const mode = str(tls['mode']);
  const has = (f: string): boolean => str(tls[f]) !== '';
  if (tls['insecureSkipVerify'] === true) {
    if (mode === 'SIMPLE' && (has('caCertificates') || has('credentialName') || present(tls['subjectAltNames']))) {
      out.error(
        path,
        'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
      );
    }
    if (mode === 'MUTUAL' && (has('caCertificates') || present(tls['subjectAltNames']))) {
      out.error(path, 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && has('credentialName')) {
    if (has('clientCertificate') || has('caCertificates') || has('privateKey') || has('caCrl')) {
      out.error(path, 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (!has('clientCertificate')) out.error(path, 'client certificate required for mutual tls');
    if (!has('privateKey')) out.error(path, 'private key required for mutual tls');
  }
}
