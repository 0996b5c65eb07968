/**
 * The message types meshsim reports, with istioctl's codes, levels and templates
 * (`pkg/config/analysis/msg/messages.yaml` of Istio 1.29; templates use Go's `%s`, `%q`, `%v`, `%d`).
 * Codes `MSH0xxx` are meshsim's own, for problems no istioctl analyzer reports; they are documented in
 * docs/concepts/mesh-model.md.
 */

/** A finding's severity (`diag.Level`). */
export type Level = 'Error' | 'Warning' | 'Info';

/** A message type (`diag.MessageType`). */
export interface MessageType {
  readonly code: string;
  readonly name: string;
  readonly level: Level;
  readonly template: string;
}

const m = (code: string, name: string, level: Level, template: string): MessageType => ({
  code,
  name,
  level,
  template,
});

/** Every message type meshsim can report, by name. */
export const MESSAGES = {
  ReferencedResourceNotFound: m('IST0101', 'ReferencedResourceNotFound', 'Error', 'Referenced %s not found: %q'),
  NamespaceNotInjected: m(
    'IST0102',
    'NamespaceNotInjected',
    'Info',
    "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection.",
  ),
  PodMissingProxy: m(
    'IST0103',
    'PodMissingProxy',
    'Warning',
    'The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.',
  ),
  SchemaValidationError: m('IST0106', 'SchemaValidationError', 'Error', 'Schema validation error: %v'),
  ConflictingMeshGatewayVirtualServiceHosts: m(
    'IST0109',
    'ConflictingMeshGatewayVirtualServiceHosts',
    'Error',
    'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
  ),
  ConflictingSidecarWorkloadSelectors: m(
    'IST0110',
    'ConflictingSidecarWorkloadSelectors',
    'Error',
    'The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.',
  ),
  MultipleSidecarsWithoutWorkloadSelectors: m(
    'IST0111',
    'MultipleSidecarsWithoutWorkloadSelectors',
    'Error',
    'The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.',
  ),
  VirtualServiceDestinationPortSelectorRequired: m(
    'IST0112',
    'VirtualServiceDestinationPortSelectorRequired',
    'Error',
    'This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.',
  ),
  DeploymentAssociatedToMultipleServices: m(
    'IST0116',
    'DeploymentAssociatedToMultipleServices',
    'Warning',
    'This deployment %s is associated with multiple services using port %d but different protocols: %v',
  ),
  PortNameIsNotUnderNamingConvention: m(
    'IST0118',
    'PortNameIsNotUnderNamingConvention',
    'Info',
    "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.",
  ),
  NamespaceMultipleInjectionLabels: m(
    'IST0123',
    'NamespaceMultipleInjectionLabels',
    'Warning',
    'The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists.',
  ),
  NoMatchingWorkloadsFound: m(
    'IST0127',
    'NoMatchingWorkloadsFound',
    'Warning',
    'No matching workloads for this resource with the following labels: %s',
  ),
  VirtualServiceUnreachableRule: m(
    'IST0130',
    'VirtualServiceUnreachableRule',
    'Warning',
    'VirtualService rule %v not used (%s).',
  ),
  VirtualServiceIneffectiveMatch: m(
    'IST0131',
    'VirtualServiceIneffectiveMatch',
    'Info',
    'VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).',
  ),
  VirtualServiceHostNotFoundInGateway: m(
    'IST0132',
    'VirtualServiceHostNotFoundInGateway',
    'Warning',
    'one or more host %v defined in VirtualService %s not found in Gateway %s.',
  ),
  SchemaWarning: m('IST0133', 'SchemaWarning', 'Warning', 'Schema validation warning: %v'),
  ServiceEntryAddressesRequired: m(
    'IST0134',
    'ServiceEntryAddressesRequired',
    'Warning',
    'ServiceEntry addresses are required for this protocol.',
  ),
  DeploymentConflictingPorts: m(
    'IST0137',
    'DeploymentConflictingPorts',
    'Warning',
    'This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.',
  ),
  InvalidApplicationUID: m(
    'IST0144',
    'InvalidApplicationUID',
    'Warning',
    'User ID (UID) 1337 is reserved for the sidecar proxy.',
  ),
  ConflictingGateways: m(
    'IST0145',
    'ConflictingGateways',
    'Error',
    'Conflict with gateways %s (workload selector %s, port %s, hosts %v).',
  ),
  GatewayPortNotDefinedOnService: m(
    'IST0162',
    'GatewayPortNotDefinedOnService',
    'Warning',
    'The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.',
  ),
  DestinationRuleSubsetNotSelectPods: m(
    'IST0173',
    'DestinationRuleSubsetNotSelectPods',
    'Error',
    'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
  ),
  UnknownDestinationRuleHost: m(
    'IST0174',
    'UnknownDestinationRuleHost',
    'Warning',
    'The host %s defined in the DestinationRule does not match any services in the mesh.',
  ),
  // meshsim's own
  TargetPortNotFound: m('MSH0001', 'TargetPortNotFound', 'Error', '%s'),
  MultipleDestinationRulesForHost: m(
    'MSH0002',
    'MultipleDestinationRulesForHost',
    'Warning',
    "The DestinationRules %s apply to host %s and are merged by istiod: only the oldest one's traffic policy is used, later ones only add subsets with new names.",
  ),
  AutoRegistrationFailed: m('MSH0003', 'AutoRegistrationFailed', 'Error', '%s'),
  PodPending: m('MSH0004', 'PodPending', 'Warning', '%s'),
  AdmissionRejected: m('MSH0005', 'AdmissionRejected', 'Error', '%s'),
  AddressConflict: m('MSH0006', 'AddressConflict', 'Error', '%s'),
} as const satisfies Record<string, MessageType>;

/** Renders a template with Go `fmt` semantics for the verbs Istio's templates use. */
export function formatTemplate(template: string, params: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%([sqvd%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const p = params[i++];
    switch (verb) {
      case 'q':
        return goQuote(String(p));
      case 'd':
        return String(p);
      case 'v':
        return goValue(p);
      default:
        return Array.isArray(p) ? goValue(p) : String(p);
    }
  });
}

/** Go's `%v` of strings, numbers and slices (`[a b c]`). */
function goValue(p: unknown): string {
  if (Array.isArray(p)) return `[${p.map(goValue).join(' ')}]`;
  return String(p);
}

/** Go's `%q`: a double-quoted string with Go escapes. */
export function goQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}
