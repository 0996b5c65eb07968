/**
 * The rule-test file of `meshsim check`, in Istio's terms: each test sends a request — from a pod's
 * sidecar, at a gateway, or from outside through the ingress gateway — and states where it must go and
 * what the route must apply to it. Request fields given as lists expand to every combination.
 *
 * ```yaml
 * manifests: [../manifests]        # relative to this file; -f adds more
 * defaults: {from: sleep.shop}     # request fields every test starts from
 * tests:
 *   - name: testers reach v2
 *     request:
 *       url: http://reviews:9080/
 *       headers: {end-user: [jason, "Jason"]}   # two cases
 *     expect: {host: reviews, subset: v2, status: 200}
 * ```
 */
import type { FaultPolicy, RouteDecision } from '@meshsim/sim-core/testing';
import type { PropertySpec } from './properties.js';

/** A request as written (before lists expand). */
export interface RequestSpec {
  /** Pod whose sidecar sends the request (`POD[.NAMESPACE]`, a unique prefix is enough). */
  readonly from?: string | readonly string[];
  /** Gateway pod that receives the request. */
  readonly gateway?: string | readonly string[];
  /** A client outside the mesh, through `istio-ingressgateway.istio-system` (or the given gateway pod). */
  readonly external?: boolean | string;
  readonly url?: string | readonly string[];
  /** @defaultValue `GET` */
  readonly method?: string | readonly string[];
  /** Header values may be lists. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly protocol?: 'http' | 'http2' | 'tcp';
  readonly tls?: 'plaintext' | 'tls' | 'mtls' | readonly ('plaintext' | 'tls' | 'mtls')[];
  readonly sni?: string;
}

/** A request after expansion: one value per field. */
export interface RequestCase {
  readonly from?: string;
  readonly gateway?: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly protocol?: 'http' | 'http2' | 'tcp';
  readonly tls?: 'plaintext' | 'tls' | 'mtls';
  readonly sni?: string;
}

/** What the route must do with the request. Every given field is checked. */
export interface Expectations {
  /** Destination host (FQDN, `name.namespace`, or the Service name) of every candidate cluster. */
  readonly host?: string;
  /** DestinationRule subset of every candidate (`''`: none). */
  readonly subset?: string;
  readonly port?: number;
  /** Envoy cluster of every candidate (`outbound|80|v2|…`, `PassthroughCluster`, `BlackHoleCluster`). */
  readonly cluster?: string;
  /** The VirtualService that routes it (`namespace/name` or `name`). */
  readonly virtualService?: string;
  /** Which rule: `spec.http[http].match[match]`, or the http route's `name`. */
  readonly route?: { readonly http?: number; readonly match?: number; readonly name?: string };
  /** Status codes the request may get (every possible outcome must be one of them). */
  readonly status?: number | readonly number[];
  /** The request does not get through, for this reason (`no_route`, `dns_failure`, …). */
  readonly error?: string;
  readonly redirect?: { readonly location?: string; readonly status?: number };
  readonly rewrite?: { readonly path?: string; readonly authority?: string };
  /** `none`, or the fault in Istio's terms (percentages in %). */
  readonly fault?: 'none' | FaultPolicy;
  /** `none` (or `0s`), or a duration. */
  readonly timeout?: string;
  /** `none`, or Istio's `HTTPRetry` fields. */
  readonly retries?:
    'none' | { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  /** Shares in % by subset (or cluster, or host): `{v1: 90, v2: 10}`. */
  readonly share?: Readonly<Record<string, number>>;
  /** Allowed difference of `share`, in percentage points. @defaultValue 0 */
  readonly tolerance?: number;
}

/** One test as written. */
export interface RuleTest {
  readonly name: string;
  readonly request: RequestSpec;
  readonly expect: Expectations;
  /** Where it is written. */
  readonly file: string;
  readonly line: number;
  /** Assertions of an imported test that meshsim cannot evaluate (reported, not failed). */
  readonly unsupported?: readonly string[];
  /** router_check_tool's `random_value`: picks the weighted cluster as Envoy would. */
  readonly randomValue?: number;
}

/** A parsed rule-test file. */
export interface RuleTestFile {
  readonly file: string;
  /** `router_check_tool` when the file is one of Envoy's tool's test files. */
  readonly format: 'meshsim' | 'router_check_tool';
  /** Manifest paths, relative to the file. */
  readonly manifests: readonly string[];
  readonly tests: readonly RuleTest[];
  /** Ready-made properties to check (see properties.ts). */
  readonly properties: readonly PropertySpec[];
}

/** The result of one expanded case. */
export interface CaseResult {
  readonly test: RuleTest;
  /** The test name plus the expanded values (`name [url=…, headers.end-user=…]`). */
  readonly name: string;
  readonly request: RequestCase;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** One line per failed expectation. */
  readonly failures: readonly string[];
  /** Notes (unsupported imported assertions). */
  readonly notes: readonly string[];
  /** Undefined when the request itself was malformed (then `failures` says why). */
  readonly decision?: RouteDecision;
}
