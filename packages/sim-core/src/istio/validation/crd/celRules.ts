/**
 * The CEL rules (`x-kubernetes-validations`) of Istio 1.29's CRDs, each implemented by hand: meshsim has no
 * CEL interpreter, and the CRDs use 33 distinct rules. Keys are the rules' exact text, so a regenerated
 * schema with a new rule fails `celRules.test.ts` until the rule is added here. Semantics follow CEL
 * (`has()` = field present; `duration()` parses Go durations; a runtime error rejects the object).
 */
import { parseDuration } from '../../../engine/time.js';
import { InvariantError } from '../../../errors.js';

type Obj = Readonly<Record<string, unknown>>;
type Rule = (self: unknown) => boolean;

const has = (self: unknown, field: string): boolean =>
  typeof self === 'object' && self !== null && (self as Obj)[field] !== undefined && (self as Obj)[field] !== null;
const get = (self: unknown, field: string): unknown => (has(self, field) ? (self as Obj)[field] : undefined);
const count = (self: unknown, ...fields: string[]): number => fields.filter((f) => has(self, f)).length;
const keys = (self: unknown): string[] => (typeof self === 'object' && self !== null ? Object.keys(self) : []);
const str = (v: unknown, dflt: string): string => (typeof v === 'string' ? v : dflt);

function goDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

// CEL's url()/isURL() follow Go's url.ParseRequestURI: an absolute URI or an absolute path.
function urlScheme(text: string): string | undefined {
  if (text.startsWith('/')) return '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(text);
  if (m === null || (m[2] ?? '').includes(' ')) return undefined;
  return (m[1] ?? '').toLowerCase();
}

const RULES: Readonly<Record<string, Rule>> = {
  '(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1': (s) =>
    count(s, 'selector', 'targetRef', 'targetRefs') <= 1,
  'self.all(key, !key.contains("*"))': (s) => keys(s).every((k) => !k.includes('*')),
  'self.all(key, key.size() != 0)': (s) => keys(s).every((k) => k.length !== 0),
  '!self.contains("*")': (s) => !str(s, '').includes('*'),
  'self.size() == 0': (s) => (typeof s === 'string' ? s.length : keys(s).length) === 0,
  'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "oci", "file"]) : (isURL("http://" + self) &&\nurl("http://" + self).getScheme() in ["", "http", "https", "oci", "file"])':
    (s) => {
      const ok = ['', 'http', 'https', 'oci', 'file'];
      const direct = urlScheme(str(s, ''));
      if (direct !== undefined) return ok.includes(direct);
      return urlScheme(`http://${str(s, '')}`) !== undefined;
    },
  '(has(self.valueFrom) ? self.valueFrom : "") != "HOST" || !has(self.value)': (s) =>
    str(get(s, 'valueFrom'), '') !== 'HOST' || !has(s, 'value'),
  "duration(self) >= duration('1ms')": (s) => {
    const d = goDuration(s);
    return d !== undefined && d >= 1000;
  },
  '(has(self.workloadSelector) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1': (s) =>
    count(s, 'workloadSelector', 'targetRefs') <= 1,
  'has(self.context) ? ((self.context == "WAYPOINT") ? has(self.waypoint) : !has(self.waypoint)) : !has(self.waypoint)':
    (s) =>
      has(s, 'context')
        ? get(s, 'context') === 'WAYPOINT'
          ? has(s, 'waypoint')
          : !has(s, 'waypoint')
        : !has(s, 'waypoint'),
  '0 < self && self <= 65535': (s) => typeof s === 'number' && s > 0 && s <= 65535,
  '(has(self.tlsCertificates) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': (s) =>
    count(s, 'tlsCertificates', 'credentialNames') <= 1,
  '(has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': (s) =>
    count(s, 'credentialName', 'credentialNames') <= 1,
  '(has(self.credentialNames) ? 1 : 0) + (has(self.tlsCertificates) ? 1 : 0) <= 1': (s) =>
    count(s, 'credentialNames', 'tlsCertificates') <= 1,
  '(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1': (s) =>
    count(s, 'workloadSelector', 'endpoints') <= 1,
  '!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))':
    (s) => {
      const addrs = get(s, 'addresses');
      const cidr = Array.isArray(addrs) && addrs.some((a) => typeof a === 'string' && a.includes('/'));
      return !(cidr && !['STATIC', 'NONE'].includes(str(get(s, 'resolution'), 'NONE')));
    },
  '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true': (s) =>
    str(get(s, 'resolution'), 'NONE') === 'NONE' ? !has(s, 'endpoints') : true,
  '((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? ((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true':
    (s) => {
      if (str(get(s, 'resolution'), '') !== 'DNS_ROUND_ROBIN') return true;
      const eps = get(s, 'endpoints');
      return !Array.isArray(eps) || eps.length <= 1;
    },
  'has(self.address) || has(self.network)': (s) => has(s, 'address') || has(s, 'network'),
  '(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true': (s) =>
    str(get(s, 'address'), '').startsWith('unix://') ? !has(s, 'ports') : true,
  'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true': (s) => {
    const t = str(s, '');
    return t.startsWith('unix://') ? t.slice(7, 8) === '/' || t.slice(7, 8) === '@' : true;
  },
  'self.startsWith("unix://") ? !self.endsWith("/") : true': (s) => {
    const t = str(s, '');
    return t.startsWith('unix://') ? !t.endsWith('/') : true;
  },
  'self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))': (s) =>
    keys(s).every((k) => k.length < 63 && /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(k)),
  'self != "*"': (s) => s !== '*',
  'self.all(l1, self.exists_one(l2, l1.number == l2.number))': (s) => {
    if (!Array.isArray(s)) return true;
    const numbers = s.map((p) => get(p, 'number'));
    return numbers.every((n) => numbers.filter((m) => m === n).length === 1);
  },
  'self in ["", "HTTP", "HTTPS"]': (s) => ['', 'HTTP', 'HTTPS'].includes(str(s, '?')),
  '(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) &&\n!has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true':
    (s) =>
      has(s, 'serviceAccounts') || has(s, 'notServiceAccounts')
        ? count(s, 'principals', 'notPrincipals', 'namespaces', 'notNamespaces') === 0
        : true,
  'has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? self.selector.matchLabels : {}).size() > 0) : true':
    (s) => {
      if (!has(s, 'portLevelMtls')) return true;
      const selector = get(s, 'selector');
      return keys(get(selector, 'matchLabels')).length > 0;
    },
  'self.all(key, 0 < int(key) && int(key) <= 65535)': (s) =>
    keys(s).every((k) => /^[+-]?\d+$/.test(k) && Number(k) > 0 && Number(k) <= 65535),
  '(has(self.jwksUri) ? 1 : 0) + (has(self.jwks_uri) ? 1 : 0) + (has(self.jwks) ? 1 : 0) <= 1': (s) =>
    count(s, 'jwksUri', 'jwks_uri', 'jwks') <= 1,
  'url(self).getScheme() in ["http", "https"]': (s) => ['http', 'https'].includes(urlScheme(str(s, '')) ?? '?'),
  '((has(self.operation) ? self.operation : "") == "UPSERT") ? (self.value != "") : true': (s) =>
    str(get(s, 'operation'), '') === 'UPSERT' ? str(get(s, 'value'), '') !== '' : true,
  '((has(self.operation) ? self.operation : "") == "REMOVE") ? !has(self.value) : true': (s) =>
    str(get(s, 'operation'), '') === 'REMOVE' ? !has(s, 'value') : true,
};

/** Evaluates a CRD CEL rule on `self`; `true` when the value passes. */
export function evaluateCelRule(rule: string, self: unknown): boolean {
  const impl = RULES[rule];
  if (impl === undefined) throw new InvariantError(`no implementation of the CRD CEL rule ${JSON.stringify(rule)}`);
  return impl(self);
}

/** Every CEL rule meshsim implements (for the coverage test). */
export function implementedCelRules(): readonly string[] {
  return Object.keys(RULES);
}
