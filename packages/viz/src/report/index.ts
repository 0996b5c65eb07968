/**
 * `@meshsim/viz/report`: the self-contained HTML report (Node: it bundles the charts with esbuild and
 * hashes the page's script and styles for its Content Security Policy).
 */
export { reportRuntime, BUNDLE_BANNER } from './bundle.js';
export { DATA_ELEMENT_ID } from './browser/dataElement.js';
export { assertInlineSafe, escapeHtml, jsonForScript } from './escape.js';
export { renderReport, reportCsp, type RenderReportOptions } from './renderReport.js';
export { REPORT_CSS } from './styles.js';
export { comparisonTable, countsText, expectationList, summaryTable } from './tables.js';
export type { ReportExpectation, ReportInput, ReportVariant } from '../model/report.js';
