/** What every analyzer gets: the model, and a way to report a finding located at a field of an object. */
import type { KubeObject, FieldPath } from '../k8s/object.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import { makeFinding, type Finding } from './finding.js';
import type { MessageType } from './messages.js';

/** An analyzer: reads the model, reports findings. */
export interface Analyzer {
  /** istioctl's analyzer name, e.g. `virtualservice.DestinationHostAnalyzer`. */
  readonly name: string;
  analyze(ctx: AnalysisContext): void;
}

/** The analysis context. */
export interface AnalysisContext {
  readonly model: MeshModel;
  /** Reports `type` about `obj`, at the line of `field` when given (else the object's line). */
  report(
    type: MessageType,
    obj: Pick<KubeObject, 'kind' | 'metadata' | 'source'>,
    params: readonly unknown[],
    field?: FieldPath,
  ): void;
  /** Reports a finding that is already built. */
  add(finding: Finding): void;
}

/** A context collecting into `out`. */
export function collectingContext(model: MeshModel, out: Finding[]): AnalysisContext {
  return {
    model,
    report(type, obj, params, field) {
      const line = field !== undefined ? obj.source.lineOf(field) : obj.source.line;
      out.push(
        makeFinding(
          type,
          params,
          {
            kind: obj.kind,
            ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
            name: obj.metadata.name,
          },
          obj.source.file.startsWith('<') ? undefined : { file: obj.source.file, ...(line > 0 ? { line } : {}) },
        ),
      );
    },
    add(finding) {
      out.push(finding);
    },
  };
}
