/** What the CLI prints and writes: tables, Fortio JSON, the HTML report, files, and the output schemas. */
export { renderRunTable, expectationLines, formatCheck, formatObserved } from './runTable.js';
export { renderDiffTable } from './diffTable.js';
export { renderReplicationTable } from './replicationTable.js';
export { formatCounts, formatLatency, formatPercent, renderTable, type Column } from './textTable.js';
export { FortioCollector, type FortioResult } from './fortio.js';
export { FORTIO_PERCENTILES, FortioHistogram, type FortioBucket, type FortioHistogramData } from './fortioHistogram.js';
export {
  CLASSROOM_REQUESTS,
  classroomInput,
  classroomRequests,
  classroomScenario,
  closeClassroomServers,
  serveClassroom,
} from './classroom.js';
export { reportCollector, reportInput, runForReport, runReport, variantsReport, type ReportRun } from './report.js';
export { diffResultSchema, fortioResultSchema, replicationResultSchema, runResultSchema } from './schemas.js';
export { fileAccessLog, writeTextFile } from './files.js';
export { progressReporter, type ProgressReporter } from './progress.js';
