/**
 * The model's own findings, as meshsim codes: a named `targetPort` no selected pod defines (MSH0001), a VM
 * whose WorkloadGroup does not exist (MSH0003), pods that cannot be scheduled (MSH0004), pods the injection
 * webhook rejects (MSH0005), duplicate addresses (MSH0006).
 */
import type { Analyzer } from '../context.js';
import { MESSAGES, type MessageType } from '../messages.js';

const TYPES: Readonly<Record<string, MessageType>> = {
  TargetPortNotFound: MESSAGES.TargetPortNotFound,
  AutoRegistrationFailed: MESSAGES.AutoRegistrationFailed,
  PodPending: MESSAGES.PodPending,
  AdmissionRejected: MESSAGES.AdmissionRejected,
  AddressConflict: MESSAGES.AddressConflict,
  NodeNotFound: MESSAGES.PodPending,
};

export const modelDiagnosticsAnalyzer: Analyzer = {
  name: 'meshsim.ModelAnalyzer',
  analyze(ctx) {
    for (const d of ctx.model.diagnostics) {
      const type = TYPES[d.code];
      if (type === undefined) continue;
      const obj = {
        kind: d.kind,
        metadata: { name: d.name, ...(d.namespace !== undefined ? { namespace: d.namespace } : {}) },
        source: d.source ?? { file: '<meshsim>', line: 0, document: 0, lineOf: () => 0 },
      };
      ctx.report(type, obj, [d.message], d.field);
    }
  },
};
