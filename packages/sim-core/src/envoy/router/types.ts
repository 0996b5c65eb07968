/**
 * The route-configuration shapes the matcher reads: Envoy's v3 API in proto3 JSON spelling
 * (`envoy.config.route.v3`, `envoy.type.matcher.v3`), as typed in `envoy/config/route.ts` — the shapes
 * istiod's translation emits and `config_dump` prints.
 */
export type {
  ClusterWeight,
  DataSource,
  DirectResponseAction,
  FractionalPercent,
  HeaderMatcher,
  Int64Range,
  QueryParameterMatcher,
  RedirectAction,
  RegexMatcher,
  Route,
  RouteAction,
  RouteConfiguration,
  RouteMatch,
  RuntimeFractionalPercent,
  StringMatcher,
  VirtualHost,
  WeightedCluster,
} from '../config/route.js';
export type { Metadata } from '../config/core.js';
