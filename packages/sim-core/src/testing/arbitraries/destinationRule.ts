/**
 * DestinationRules valid by construction (`pkg/config/validation/validation.go` `ValidateDestinationRule`):
 * one subset per version, selecting pods by their `version` label, with an optional traffic policy (load
 * balancer, connection pool, outlier detection) at the top and per subset.
 */
import fc from 'fast-check';
import { manifestsYaml, printedAs, type Manifest } from '../counterexample/manifestYaml.js';
import { checkDnsLabel, orDefault } from './_constraints.js';

/** Constraints of {@link destinationRule}. */
export interface DestinationRuleConstraints {
  /** `spec.host`. */
  readonly host: string;
  /** Subset names; each selects `version: <name>`. @defaultValue [] */
  readonly subsets?: readonly string[];
  /** Label key subsets select on. @defaultValue `'version'` */
  readonly labelKey?: string;
  /** @defaultValue `'default'` */
  readonly namespace?: string;
  /** @defaultValue the host's first label */
  readonly name?: string;
  /** Generate traffic policies. @defaultValue false */
  readonly trafficPolicy?: boolean;
}

const TRAFFIC_POLICY = fc.record(
  {
    loadBalancer: fc.constantFrom('ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM').map((simple) => ({ simple })),
    connectionPool: fc.record({
      http: fc.record({ http1MaxPendingRequests: fc.integer({ min: 1, max: 1024 }) }),
    }),
    outlierDetection: fc.record({
      consecutive5xxErrors: fc.integer({ min: 1, max: 10 }),
      interval: fc.constantFrom('1s', '10s'),
      baseEjectionTime: fc.constantFrom('30s', '1m'),
      maxEjectionPercent: fc.constantFrom(10, 50, 100),
    }),
  },
  { requiredKeys: [] },
);

/** A DestinationRule for `host` with the given subsets; printed as YAML in fast-check reports. */
export function destinationRule(constraints: DestinationRuleConstraints): fc.Arbitrary<Manifest> {
  if (constraints.host === '') throw new RangeError('destinationRule: host must not be empty');
  const namespace = orDefault(constraints.namespace, 'default');
  checkDnsLabel('destinationRule', 'namespace', namespace);
  const name = orDefault(constraints.name, (constraints.host.split('.')[0] as string).replace(/^\*$/, 'wildcard'));
  checkDnsLabel('destinationRule', 'name', name);
  const subsets = constraints.subsets ?? [];
  for (const s of subsets) checkDnsLabel('destinationRule', 'subsets', s);
  const labelKey = orDefault(constraints.labelKey, 'version');
  const policy =
    constraints.trafficPolicy === true ? fc.option(TRAFFIC_POLICY, { nil: undefined }) : fc.constant(undefined);
  return fc
    .tuple(policy, fc.array(policy, { minLength: subsets.length, maxLength: subsets.length }))
    .map(([top, perSubset]) =>
      printedAs(
        {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name, namespace },
          spec: {
            host: constraints.host,
            ...(top !== undefined && Object.keys(top).length > 0 ? { trafficPolicy: top } : {}),
            ...(subsets.length > 0
              ? {
                  subsets: subsets.map((s, i) => {
                    const p = perSubset[i];
                    return {
                      name: s,
                      labels: { [labelKey]: s },
                      ...(p !== undefined && Object.keys(p).length > 0 ? { trafficPolicy: p } : {}),
                    };
                  }),
                }
              : {}),
          },
        },
        (m) => manifestsYaml([m]),
      ),
    );
}
