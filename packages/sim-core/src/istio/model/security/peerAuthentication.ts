/**
 * What an inbound sidecar accepts (`pilot/pkg/security/authn/policy_applier.go` `ComposePeerAuthentication`):
 * of the PeerAuthentications that apply to a workload, the oldest mesh-level one (root namespace, no
 * selector), the oldest namespace-level one (no selector) and the oldest workload-level one (selector matching
 * the workload's labels, not in the root namespace) are composed in that order — each overrides the previous
 * unless its mode is `UNSET` — starting from `PERMISSIVE`. Port-level modes (`portLevelMtls`, keyed by the
 * workload's port) come only from the workload-level policy; an `UNSET` port inherits.
 */
import { labelsMatch, readLabels, type Labels } from '../../../k8s/labels.js';
import type { IstioConfig, IstioObject, PeerAuthenticationSpec } from '../config.js';
import type { MeshConfig } from '../meshConfig.js';

/** `model.MutualTLSMode`. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The composed policy of a workload. */
export interface EffectivePeerAuthentication {
  readonly mode: MtlsMode;
  /** Port → mode, from the workload-level policy. */
  readonly perPort: Readonly<Record<number, MtlsMode>>;
  /** The policies that took part (mesh, namespace, workload level). */
  readonly policies: readonly IstioObject<PeerAuthenticationSpec>[];
}

function modeOf(mtls: PeerAuthenticationSpec['mtls']): MtlsMode | undefined {
  const m = mtls?.mode;
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
}

/** `ComposePeerAuthentication` for a workload in `namespace` with `labels`. */
export function peerAuthenticationFor(
  istio: Pick<IstioConfig, 'peerAuthentications'>,
  mesh: Pick<MeshConfig, 'rootNamespace'>,
  namespace: string,
  labels: Labels,
): EffectivePeerAuthentication {
  let meshLevel: IstioObject<PeerAuthenticationSpec> | undefined;
  let nsLevel: IstioObject<PeerAuthenticationSpec> | undefined;
  let workloadLevel: IstioObject<PeerAuthenticationSpec> | undefined;
  // istio.peerAuthentications is already oldest-first, so the first hit at each level wins.
  for (const pa of istio.peerAuthentications) {
    const ns = pa.metadata.namespace;
    if (ns !== mesh.rootNamespace && ns !== namespace) continue;
    const sel = pa.spec.selector?.matchLabels;
    if (sel === undefined || Object.keys(sel).length === 0) {
      if (ns === mesh.rootNamespace) meshLevel ??= pa;
      else nsLevel ??= pa;
    } else if (ns !== mesh.rootNamespace && ns === namespace && labelsMatch(readLabels(sel), labels)) {
      workloadLevel ??= pa;
    }
  }
  let mode: MtlsMode = 'PERMISSIVE';
  for (const pa of [meshLevel, nsLevel, workloadLevel]) {
    const m = modeOf(pa?.spec.mtls);
    if (m !== undefined) mode = m;
  }
  const perPort: Record<number, MtlsMode> = {};
  for (const [port, mtls] of Object.entries(workloadLevel?.spec.portLevelMtls ?? {}))
    perPort[Number(port)] = modeOf(mtls) ?? mode;
  return {
    mode,
    perPort,
    policies: [meshLevel, nsLevel, workloadLevel].filter(
      (p): p is IstioObject<PeerAuthenticationSpec> => p !== undefined,
    ),
  };
}

/** The mode on one inbound port. */
export function inboundMtlsMode(policy: EffectivePeerAuthentication, port: number): MtlsMode {
  return policy.perPort[port] ?? policy.mode;
}

/**
 * `GetNamespaceMutualTLSMode`: the namespace-level policy's mode, else the mesh-level one's; `undefined`
 * (MTLSUnknown) when neither sets a mode.
 */
export function namespaceMtlsMode(
  istio: Pick<IstioConfig, 'peerAuthentications'>,
  mesh: Pick<MeshConfig, 'rootNamespace'>,
  namespace: string,
): MtlsMode | undefined {
  const noSelector = (pa: IstioObject<PeerAuthenticationSpec>): boolean =>
    Object.keys(pa.spec.selector?.matchLabels ?? {}).length === 0;
  const ns = istio.peerAuthentications.find(
    (pa) => pa.metadata.namespace === namespace && noSelector(pa) && modeOf(pa.spec.mtls) !== undefined,
  );
  if (ns !== undefined && namespace !== mesh.rootNamespace) return modeOf(ns.spec.mtls);
  const root = istio.peerAuthentications.find(
    (pa) => pa.metadata.namespace === mesh.rootNamespace && noSelector(pa) && modeOf(pa.spec.mtls) !== undefined,
  );
  return root !== undefined ? modeOf(root.spec.mtls) : undefined;
}

/** What an inbound port in `mode` accepts (`STRICT`: mTLS only; `PERMISSIVE`: both; `DISABLE`: plaintext only). */
export function inboundAccepts(mode: MtlsMode, transport: 'mtls' | 'plaintext'): boolean {
  if (mode === 'STRICT') return transport === 'mtls';
  if (mode === 'DISABLE') return transport === 'plaintext';
  return true;
}
