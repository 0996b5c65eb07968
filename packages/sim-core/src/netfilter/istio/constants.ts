/**
 * istio-iptables' names and fixed values (istio/istio tools/istio-iptables/pkg/constants/constants.go).
 */

/** Chain names (tools/istio-iptables/pkg/constants/constants.go). */
export const ISTIO_CHAINS = {
  ISTIO_OUTPUT: 'ISTIO_OUTPUT',
  ISTIO_OUTPUT_DNS: 'ISTIO_OUTPUT_DNS',
  ISTIO_INBOUND: 'ISTIO_INBOUND',
  ISTIO_DIVERT: 'ISTIO_DIVERT',
  ISTIO_TPROXY: 'ISTIO_TPROXY',
  ISTIO_REDIRECT: 'ISTIO_REDIRECT',
  ISTIO_IN_REDIRECT: 'ISTIO_IN_REDIRECT',
  ISTIO_DROP: 'ISTIO_DROP',
} as const;

export const ISTIO_OUTPUT = ISTIO_CHAINS.ISTIO_OUTPUT;
export const ISTIO_OUTPUT_DNS = ISTIO_CHAINS.ISTIO_OUTPUT_DNS;
export const ISTIO_INBOUND = ISTIO_CHAINS.ISTIO_INBOUND;
export const ISTIO_DIVERT = ISTIO_CHAINS.ISTIO_DIVERT;
export const ISTIO_TPROXY = ISTIO_CHAINS.ISTIO_TPROXY;
export const ISTIO_REDIRECT = ISTIO_CHAINS.ISTIO_REDIRECT;
export const ISTIO_IN_REDIRECT = ISTIO_CHAINS.ISTIO_IN_REDIRECT;
export const ISTIO_DROP = ISTIO_CHAINS.ISTIO_DROP;

/** constants.go: pilot-agent's DNS proxy port and the TPROXY outbound mark. */
export const ISTIO_AGENT_DNS_LISTENER_PORT = '15053';
/** The mark TPROXY mode puts on Envoy's loopback connections to its own pod (constants.OutboundMark). */
export const OUTBOUND_MARK = '1338';

/**
 * The `istio-iptables` flags of a pod without traffic annotations, as the sidecar injection template renders
 * them (istio/istio manifests/charts/istio-control/istio-discovery/files/injection-template.yaml,
 * `istio-init` args): outbound to 15001, inbound to 15006, Envoy's uid 1337 exempt, REDIRECT, every outbound
 * address and inbound port captured except Envoy's stats, health and agent ports.
 */
export const INJECTED_ISTIO_IPTABLES_ARGS: readonly string[] = Object.freeze([
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
]);
