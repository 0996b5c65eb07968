/** Validation of Istio resources: CRD schemas (+ CEL rules) and Istio's validating-webhook checks. */
export { validateIstioObject, isIstioKind } from './validateIstio.js';
export { schemaValidationMessages, type SchemaValidationMessage } from './schemaValidationMessages.js';
export { hostMatches, hostSubsetOf } from './host.js';
export { validateWildcardDomain, validateFQDN, validateDuration, validateRegex, parseProtocol } from './common.js';
