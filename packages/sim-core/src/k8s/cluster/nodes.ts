/**
 * Nodes: the ones the manifests declare (a `kubectl get nodes -o yaml` dump), or a default set. Locality comes
 * from the well-known topology labels Istio reads (`pkg/kube/labels` / `pilot/pkg/serviceregistry/kube`:
 * `topology.kubernetes.io/region`, `topology.kubernetes.io/zone`, `topology.istio.io/subzone`, with the
 * deprecated `failure-domain.beta.kubernetes.io/*` as fallback).
 */
import { asNumber, asRecord, asString, compareStrings, dig } from '../json.js';
import { readLabels, type Labels } from '../labels.js';
import { formatCidr, formatIPv4, parseCidr, subCidr, type Cidr } from '../net/ipv4.js';
import type { KubeObject } from '../object.js';
import type { Locality, Node } from './types.js';

/** Options for the default node set. */
export interface DefaultNodesOptions {
  /**
   * How many nodes. They are named `node-1`…`node-N`, spread round-robin over three zones of one region.
   * @defaultValue 3
   */
  readonly count?: number;
  /** @defaultValue `'region-1'` */
  readonly region?: string;
  /** @defaultValue `['zone-a', 'zone-b', 'zone-c']` */
  readonly zones?: readonly string[];
  /**
   * Kubelet version the nodes report. Istio 1.29's injector uses native sidecars (`ENABLE_NATIVE_SIDECARS=auto`)
   * only when every node runs ≥ 1.33; meshsim's default cluster is 1.32, so pods get classic sidecars.
   * @defaultValue `'v1.32.5'`
   */
  readonly kubeletVersion?: string;
  /** @defaultValue 110 (kubelet's `--max-pods` default) */
  readonly maxPods?: number;
}

/** Node network layout. */
export interface NodeNetwork {
  /** Cluster pod CIDR; node `i` (0-based) gets the `i`-th /24 of it, as kubeadm's node IPAM does. */
  readonly podCIDR: Cidr;
  /** Where node InternalIPs start (node `i` gets start + i). @defaultValue `172.18.0.2` (a kind network) */
  readonly nodeIPStart: number;
}

export const REGION_LABEL = 'topology.kubernetes.io/region';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const SUBZONE_LABEL = 'topology.istio.io/subzone';
const LEGACY_REGION = 'failure-domain.beta.kubernetes.io/region';
const LEGACY_ZONE = 'failure-domain.beta.kubernetes.io/zone';

/** The locality of a node from its labels. */
export function nodeLocality(labels: Labels): Locality {
  return {
    region: labels[REGION_LABEL] ?? labels[LEGACY_REGION] ?? '',
    zone: labels[ZONE_LABEL] ?? labels[LEGACY_ZONE] ?? '',
    subzone: labels[SUBZONE_LABEL] ?? '',
  };
}

/** The default node set. */
export function defaultNodes(options: DefaultNodesOptions, network: NodeNetwork): Node[] {
  const count = options.count ?? 3;
  const zones = options.zones ?? ['zone-a', 'zone-b', 'zone-c'];
  const region = options.region ?? 'region-1';
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    const name = `node-${i + 1}`;
    const zone = zones[i % zones.length] ?? '';
    const labels: Labels = {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      [REGION_LABEL]: region,
      [ZONE_LABEL]: zone,
    };
    nodes.push({
      name,
      labels,
      internalIP: formatIPv4(network.nodeIPStart + i),
      podCIDR: formatCidr(subCidr(network.podCIDR, 24, i)),
      locality: nodeLocality(labels),
      kubeletVersion: options.kubeletVersion ?? 'v1.32.5',
      maxPods: options.maxPods ?? 110,
      declared: false,
    });
  }
  return nodes;
}

/** Nodes from `Node` objects; missing podCIDRs and addresses are assigned like the default set's. */
export function declaredNodes(
  objects: readonly KubeObject[],
  network: NodeNetwork,
  options: DefaultNodesOptions,
): Node[] {
  const sorted = [...objects].sort((a, b) => compareStrings(a.metadata.name, b.metadata.name));
  return sorted.map((obj, i) => {
    const labels = readLabels(obj.metadata.labels);
    const status = asRecord(obj.status);
    const addresses = Array.isArray(status?.['addresses']) ? (status['addresses'] as unknown[]) : [];
    const internal = addresses.map((a) => asRecord(a)).find((a) => a?.['type'] === 'InternalIP');
    const podCIDRText = asString(dig(obj.spec, 'podCIDR'));
    let podCIDR = formatCidr(subCidr(network.podCIDR, 24, i));
    if (podCIDRText !== undefined) {
      try {
        podCIDR = formatCidr(parseCidr(podCIDRText));
      } catch {
        // validation reports the bad CIDR; keep the assigned one
      }
    }
    return {
      name: obj.metadata.name,
      labels,
      internalIP: asString(internal?.['address']) ?? formatIPv4(network.nodeIPStart + i),
      podCIDR,
      locality: nodeLocality(labels),
      kubeletVersion: asString(dig(status, 'nodeInfo', 'kubeletVersion')) ?? options.kubeletVersion ?? 'v1.32.5',
      maxPods:
        asNumber(dig(status, 'allocatable', 'pods')) ??
        Number(asString(dig(status, 'allocatable', 'pods')) ?? options.maxPods ?? 110),
      declared: true,
      source: obj.source,
    };
  });
}
