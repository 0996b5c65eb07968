/** `meshsim check`: rule tests in Istio's terms (and router_check_tool's), route coverage, JUnit XML. */
export { routeCoverage, describeCoverage, type Coverage, type RuleCoverage } from './coverage.js';
export {
  checkExpectations,
  checkRouterCheck,
  DEFAULT_INGRESS,
  evaluateCase,
  routeCallOf,
  type SenderDefaults,
} from './evaluate.js';
export { expandRequest, type ExpandedRequest } from './expand.js';
export { junitXml, type JUnitSuite } from './junit.js';
export { parseRuleTests } from './parse.js';
export { jsonReport, textReport, type ReportOptions } from './report.js';
export { isRouterCheckFile, type RouterCheckExpectations } from './routerCheck.js';
export { explainFailure, runRuleTests, type CheckRun, type FileResults } from './runCheck.js';
export type { CaseResult, Expectations, RequestCase, RequestSpec, RuleTest, RuleTestFile } from './types.js';
