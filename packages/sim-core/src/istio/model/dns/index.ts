/** Istio's DNS proxy: name tables and resolution through the agent. */
export { addressesForProxy, buildNameTable, type NameInfo, type NameTable } from './nameTable.js';
export { buildLookupTable, dnsProxyServer, resolveWithDnsProxy } from './dnsProxy.js';
