/**
 * `analyze`: runs every analyzer over a {@link MeshModel} and returns the findings as `istioctl analyze`
 * would list them (sorted, deduplicated), keeping only findings about the user's own objects — not about the
 * objects meshsim adds for the cluster itself or the default Istio installation. `analyzeManifests` does the
 * whole `istioctl analyze -f` job: load (invalid objects become IST0106 findings, and analysis goes on),
 * build the model, analyze.
 */
import type { ConfigError } from '../errors.js';
import type { SchemaValidationMessage } from '../istio/validation/schemaValidationMessages.js';
import { schemaValidationMessages } from '../istio/validation/schemaValidationMessages.js';
import { buildMeshModel, type MeshModel, type MeshModelOptions } from '../istio/model/meshModel.js';
import { loadManifests, type LoadOptions, type ManifestInput } from '../k8s/load/loadManifests.js';
import { objectRef, type KubeObject } from '../k8s/object.js';
import { destinationRuleAnalyzer, multipleDestinationRulesAnalyzer } from './analyzers/destinationRules.js';
import { conflictingGatewayAnalyzer, gatewayAnalyzer } from './analyzers/gateways.js';
import { injectionAnalyzer } from './analyzers/injection.js';
import { modelDiagnosticsAnalyzer } from './analyzers/modelDiagnostics.js';
import { serviceEntryAnalyzer } from './analyzers/serviceEntries.js';
import { portNameAnalyzer } from './analyzers/services.js';
import { sidecarSelectorAnalyzer } from './analyzers/sidecars.js';
import { conflictingMeshGatewayHostsAnalyzer } from './analyzers/virtualServiceConflicts.js';
import { destinationHostAnalyzer, destinationSubsetAnalyzer } from './analyzers/virtualServiceDestinations.js';
import { virtualServiceGatewayAnalyzer } from './analyzers/virtualServiceGateways.js';
import { virtualServiceRulesAnalyzer } from './analyzers/virtualServiceRules.js';
import { applicationUidAnalyzer } from './analyzers/workloads.js';
import { collectingContext, type Analyzer } from './context.js';
import { makeFinding, sortFindings, type Finding } from './finding.js';
import { MESSAGES, type MessageType } from './messages.js';

/** Every analyzer, in istioctl's order (`analyzers.All()`), then meshsim's. */
export const ANALYZERS: readonly Analyzer[] = [
  applicationUidAnalyzer,
  destinationRuleAnalyzer,
  gatewayAnalyzer,
  conflictingGatewayAnalyzer,
  injectionAnalyzer,
  portNameAnalyzer,
  sidecarSelectorAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  destinationHostAnalyzer,
  destinationSubsetAnalyzer,
  virtualServiceGatewayAnalyzer,
  serviceEntryAnalyzer,
  virtualServiceRulesAnalyzer,
  multipleDestinationRulesAnalyzer,
  modelDiagnosticsAnalyzer,
];

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Only findings about objects in this namespace (and cluster-scoped ones), as `istioctl analyze -n`. */
  readonly namespace?: string;
  /** Schema findings from loading (`schemaValidationMessages`), reported beside the others. */
  readonly schemaMessages?: readonly SchemaValidationMessage[];
  /** Loading errors that belong to no object (YAML syntax, unknown kind), reported as IST0106 with their file. */
  readonly fileErrors?: readonly ConfigError[];
}

const INTERNAL_ERROR: MessageType = {
  code: 'IST0001',
  name: 'InternalError',
  level: 'Error',
  template: 'Internal error: %v',
};

/** Runs every analyzer over `model`. */
export function analyze(model: MeshModel, options: AnalyzeOptions = {}): Finding[] {
  const out: Finding[] = [];
  const ctx = collectingContext(model, out);
  for (const analyzer of ANALYZERS) {
    try {
      analyzer.analyze(ctx);
    } catch (error) {
      // A bug in an analyzer must not hide the other findings (istioctl reports IST0001 the same way).
      out.push(
        makeFinding(INTERNAL_ERROR, [`${analyzer.name}: ${error instanceof Error ? error.message : String(error)}`]),
      );
    }
  }
  for (const m of options.schemaMessages ?? []) {
    const slash = m.object.indexOf('/');
    out.push(
      makeFinding(
        m.code === 'IST0106' ? MESSAGES.SchemaValidationError : MESSAGES.SchemaWarning,
        [m.message.replace(/^Schema validation (error|warning): /, '')],
        {
          kind: m.kind,
          ...(slash >= 0
            ? { namespace: m.object.slice(0, slash), name: m.object.slice(slash + 1) }
            : { name: m.object }),
        },
        m.file !== undefined ? { file: m.file, ...(m.line !== undefined ? { line: m.line } : {}) } : undefined,
      ),
    );
  }
  for (const e of options.fileErrors ?? []) {
    out.push(
      makeFinding(
        MESSAGES.SchemaValidationError,
        [e.detail],
        undefined,
        e.location.file !== undefined
          ? { file: e.location.file, ...(e.location.line !== undefined ? { line: e.location.line } : {}) }
          : undefined,
      ),
    );
  }
  const filtered = out.filter((f) => {
    if (f.origin === undefined) return true;
    if (f.reference === undefined && f.code !== 'IST0001') return false; // about an object meshsim added
    if (options.namespace === undefined || f.origin.namespace === undefined) return true;
    return (
      f.origin.namespace === options.namespace || (f.origin.kind === 'Namespace' && f.origin.name === options.namespace)
    );
  });
  return sortFindings(filtered);
}

/** The result of {@link analyzeManifests}. */
export interface ManifestAnalysis {
  readonly findings: readonly Finding[];
  /** The model the analysis ran on (objects with schema errors left out, as istioctl cannot read them). */
  readonly model: MeshModel;
}

/** `istioctl analyze -f`: load, build, analyze; invalid input is reported, never thrown. */
export function analyzeManifests(
  inputs: readonly ManifestInput[],
  options: AnalyzeOptions & { readonly model?: MeshModelOptions; readonly load?: LoadOptions } = {},
): ManifestAnalysis {
  const loaded = loadManifests(inputs, options.load ?? {});
  // Objects whose structure is wrong cannot be read at all (istioctl fails to convert them); objects that only
  // break Istio's webhook rules are analyzed like the others.
  const unreadable = new Set<string>();
  for (const e of loaded.errors) {
    if (e.code === 'manifest/schema' && e.location.kind !== undefined && e.location.object !== undefined)
      unreadable.add(`${e.location.kind}\u0000${e.location.object}`);
  }
  const readable = loaded.objects.filter((o: KubeObject) => !unreadable.has(`${o.kind}\u0000${objectRef(o)}`));
  const model = buildMeshModel(readable, options.model ?? {});
  const schemaMessages = schemaValidationMessages(loaded.errors, loaded.warnings);
  const fileErrors = loaded.errors.filter(
    (e) => e.location.kind === undefined || e.location.object === undefined || e.code === 'manifest/duplicate',
  );
  return { findings: analyze(model, { ...options, schemaMessages, fileErrors }), model };
}
