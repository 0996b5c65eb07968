/**
 * `@meshsim/sim-core/k8s`: Kubernetes objects as meshsim reads them — loading, validation, and the
 * cluster model built on them.
 */
export * from './object.js';
export * from './load/index.js';
export * from './validation/index.js';
export * from './cluster/index.js';
export * from './dns/index.js';
export {
  formatLabels,
  labelsMatch,
  readLabels,
  readLabelSelector,
  selectorMatches,
  type LabelSelector,
  type LabelSelectorRequirement,
  type Labels,
} from './labels.js';
export { cidrContains, formatCidr, formatIPv4, isIPv4, parseCidr, parseIPv4, type Cidr } from './net/ipv4.js';
