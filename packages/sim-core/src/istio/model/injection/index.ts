/** Sidecar injection: the webhook's selectors, istiod's decision, the templates, and the `istio-iptables` command line. */
export {
  DEFAULT_INJECTION_CONFIG,
  injectionConfigFromObjects,
  injectorConfigMapName,
  type InjectionConfig,
  type ProxyValues,
} from './config.js';
export {
  injectPod,
  KNOWN_TEMPLATES,
  selectTemplates,
  useNativeSidecar,
  type InjectablePod,
  type InjectedPod,
} from './inject.js';
export {
  IGNORED_NAMESPACES,
  INJECTION_LABEL,
  injectionDecision,
  injectRequired,
  matchingWebhook,
  REVISION_LABEL,
  SIDECAR_INJECT,
  type InjectionDecision,
  type InjectionSubject,
} from './injectRequired.js';
export {
  excludeInboundPort,
  interceptionModeOf,
  istioIptablesArgs,
  TRAFFIC_ANNOTATIONS,
  type IptablesInvocation,
} from './iptablesArgs.js';
export { gatewayTemplate, proxyImage, sidecarTemplate, type TemplateInput, type TemplatePod } from './templates.js';
export { inject, kubeInjectRequired, sidecarInjectionWebhook } from './webhook.js';
export { kubeInject, type KubeInjectResult } from './kubeInject.js';
