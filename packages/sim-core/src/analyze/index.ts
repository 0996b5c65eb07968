/** `istioctl analyze` for meshsim: IST-coded findings about a mesh model. */
export { analyze, analyzeManifests, ANALYZERS, type AnalyzeOptions, type ManifestAnalysis } from './analyze.js';
export type { AnalysisContext, Analyzer } from './context.js';
export {
  documentationUrl,
  findingsToJson,
  formatFinding,
  makeFinding,
  sortFindings,
  type Finding,
  type FindingOrigin,
} from './finding.js';
export { formatTemplate, goQuote, MESSAGES, type Level, type MessageType } from './messages.js';
