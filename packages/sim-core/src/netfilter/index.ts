/**
 * `@meshsim/sim-core/netfilter`: iptables as the Linux kernel runs it, for sidecar traffic capture and
 * kube-proxy. Tables, chains, rules, matches and targets; `iptables-save`/`iptables-restore` text; loading
 * with the kernel's checks; traversal through the hooks with conntrack; the istio-iptables and kube-proxy
 * rule generators; and a cached per-connection decision for the simulation's hot path.
 */
export {
  cidrContains,
  formatCidr,
  formatEndpoint,
  formatIp,
  parseEndpoint,
  parseIp,
  parseIptablesCidr,
  type Cidr,
  type IpAddress,
} from './addr.js';
export {
  compileRuleset,
  DEFAULT_LOAD_ENVIRONMENT,
  type CompiledRuleset,
  type CompiledTable,
  type CompiledChain,
  type CompiledRule,
} from './compile.js';
export { Conntrack, type ConntrackEntry, type Tuple } from './conntrack.js';
export {
  CaptureCache,
  traverse as traverseConnection,
  type CaptureCacheStats,
  type CaptureDecision,
  type ConnectionClass,
} from './decisionCache.js';
export type { LoadEnvironment, MatchModule, TargetModule } from './extension.js';
export { parseIstioIptablesArgs, type IstioIptablesEnvironment } from './istio/args.js';
export {
  buildIstioRules,
  ISTIO_AGENT_DNS_LISTENER_PORT,
  ISTIO_CHAINS,
  type IstioIptablesRules,
} from './istio/capture.js';
export { INJECTED_ISTIO_IPTABLES_ARGS } from './istio/constants.js';
export { DEFAULT_ISTIO_IPTABLES_CONFIG, istioIptablesConfig, type IstioIptablesConfig } from './istio/config.js';
export {
  endpointChainName,
  serviceChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  serviceLocalChainName,
  servicePortName,
} from './kubeProxy/chainNames.js';
export {
  buildKubeProxyRules,
  clusterEndpoints,
  computeProbability,
  type KubeProxyEndpoint,
  type KubeProxyOptions,
  type KubeProxyRules,
  type KubeProxyServicePort,
} from './kubeProxy/proxier.js';
export { kubeProxyServicePorts } from './kubeProxy/fromCluster.js';
export { base32, sha256 } from './kubeProxy/sha256.js';
export { probabilityThreshold, thresholdProbability } from './matches/statistic.js';
export {
  BUILTIN_CHAINS,
  chainOf,
  emptyRuleset,
  isBuiltinChain,
  TABLE_NAMES,
  tableOf,
  type Chain,
  type Hook,
  type Match,
  type Rule,
  type Ruleset,
  type Table,
  type TableName,
  type Target,
} from './model.js';
export {
  istioPodNamespace,
  istioRuleset,
  kubeProxyNamespace,
  nodeNamespace,
  podNamespace,
  sidecarPodNamespace,
  type IstioInitInvocation,
  type NamespaceOptions,
} from './namespaces.js';
export {
  DEFAULT_SPORT,
  NetNamespace,
  type LocalPacket,
  type NetNamespaceOptions,
  type NetnsInterface,
  type PacketOptions,
  type PolicyRoute,
  type ReceivedPacket,
} from './netns.js';
export { IPPROTO, type SocketOwner } from './packet.js';
export {
  formatCommand,
  formatRestore,
  parseRestore,
  type ParseRestoreOptions,
  type RestoreCommand,
  type RestorePayload,
  type RestoreTable,
} from './restore.js';
export { parseRuleArgs, type RuleParseOptions } from './ruleParser.js';
export { applyRestore, loadRulesets, type ApplyRestoreOptions } from './ruleset.js';
export { formatRuleSave, formatSave, type FormatSaveOptions, type RuleStyle } from './save.js';
export { splitRestoreLine, splitShellWords } from './tokens.js';
export { describeOutcome, formatTrace, traceToJson, type TraceHopJson, type TraceJson } from './trace.js';
export type { Hop, TableVerdict } from './traverse.js';
export type { Endpoint, PacketOutcome, TraceStep, Verdict } from './walk.js';
