/** Cluster DNS (CoreDNS's `kubernetes` plugin behind a pod's stub resolver). */
export {
  candidateNames,
  kubeDnsServer,
  resolveClusterDns,
  resolveWith,
  searchPath,
  type DnsAnswer,
  type DnsServer,
  type ExternalDns,
} from './clusterDns.js';
