/** The network model (latency per hop class, loss, resets, partitions) and the proxy latency model. */
export { classifyHop, HOP_CLASSES, type HopClass, type NetworkEndpoint } from './hop.js';
export { Network, type ConnectOutcome, type TransitOutcome } from './network.js';
export {
  compileNetworkSpec,
  DEFAULT_LINKS,
  type CompiledLink,
  type CompiledPartition,
  type LinkSpec,
  type NetworkSpec,
  type PartitionSpec,
} from './networkSpec.js';
export { DEFAULT_PROXY_PASS, ProxyLatency, type ProxyLatencySpec } from './proxyLatency.js';
export { retransmitOffset, TCP } from './tcp.js';
