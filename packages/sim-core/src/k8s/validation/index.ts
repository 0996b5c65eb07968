/** Validation of Kubernetes objects and the issue type every validator reports. */
export { IssueList, type IssueLevel, type IssueOrigin, type ValidationIssue } from './issue.js';
export { validateKubeObject } from './validateKube.js';
export { isCIDR, isIPAddress } from './ip.js';
export {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  isIstioDNS1123Label,
  labelValueErrors,
  portNameErrors,
  qualifiedNameErrors,
} from './names.js';
export { validateLabelMap, validateObjectMeta } from './objectMeta.js';
