/**
 * `meshsim check`: rule tests for your routing, in Istio's terms. Each test sends a request (from a pod's
 * sidecar, at a gateway, or from outside) through the configuration istiod would push and checks where it
 * goes and what its route applies (subset, status, redirect, rewrite, fault, timeout, retries, shares).
 * Failures come with the route trace naming the VirtualService rule (file:line). Reports route coverage
 * per VirtualService rule — and which rules no request can ever reach —, writes JUnit XML for CI, and
 * fails under a coverage threshold. Also runs Envoy's `router_check_tool` test files against the routes
 * istiod generates. Exit 0 all pass, 1 failures or coverage under `--fail-under`, 2 usage or input errors.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, loadMeshModel } from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import {
  explainFailure,
  jsonReport,
  junitXml,
  parseRuleTests,
  runRuleTests,
  textReport,
  type RuleTestFile,
} from '../../check/index.js';
import { readManifestInputs } from '../../load/manifestFiles.js';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';

interface CheckOptions {
  filename: string[];
  seed: string;
  counterexamples: string;
  from?: string;
  gateway?: string;
  junit?: string;
  failUnder?: string;
  onlyFailures?: boolean;
  output: 'text' | 'json';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const EXAMPLES = `
A tests file (YAML):
  manifests: [../manifests]          # relative to the tests file; -f adds more
  defaults: {from: toolbox.canary}   # request fields every test starts from
  tests:
    - name: the tester reaches v2
      request: {url: http://canary/, headers: {user: jesse}}
      expect: {host: canary, subset: v2, status: 200}
    - name: everyone else stays on v1
      request: {url: [http://canary/, http://canary.canary/], method: [GET, POST]}   # lists expand
      expect: {subset: v1, share: {v1: 100}, fault: none, timeout: none}
  properties:                        # ready-made property tests (fast-check, --seed)
    - everyRequestReachesDestination
    - noUnreachableRules
    - splitMatchesWeights: {expected: {v1: 90, v2: 10}}

Examples:
  # The canary walkthrough's rule tests
  meshsim check packages/scenarios/src/check/testdata/canary.rules.yaml

  # In CI: JUnit XML, and fail when less than 80 % of VirtualService rules are exercised
  meshsim check rules.yaml -f manifests/ --junit rules.junit.xml --fail-under 80

  # Only the failures, as JSON
  meshsim check rules.yaml -f manifests/ --only-failures -o json

  # Envoy router_check_tool tests, against the routes istiod gives the toolbox's sidecar
  meshsim check envoy-route-tests.json -f manifests/ --from toolbox.canary

Expectations: host, subset, port, cluster, virtualService, route {http, match, name}, status, error,
redirect {location, status}, rewrite {path, authority}, fault (none | {abort, delay}), timeout (none |
duration), retries (none | {attempts, perTryTimeout, retryOn}), share {v1: 90, v2: 10} with tolerance.
Properties: everyRequestReachesDestination, noUnreachableRules, splitMatchesWeights, faultsOnlyAffectMatching,
retriesNeverExceedAttempts, routingInvariance; a failing one's counterexample (minimized manifests plus the
request) is printed and saved under --counterexamples.
Exit codes: 0 all tests pass (and coverage ≥ --fail-under), 1 a test fails or coverage is under, 2 usage or
input errors.`;

function parsePercent(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) > 100) {
    throw new ConfigError(`invalid --fail-under ${JSON.stringify(text)}: expected a percentage 0-100`, {
      field: '--fail-under',
    });
  }
  return Number(text);
}

export const checkCommand: CommandModule = {
  name: 'check',
  register(program: Command, ctx): void {
    program
      .command('check')
      .summary('run rule tests: where requests go and what their routes apply, with route coverage')
      .description(
        'Run rule tests against the routing istiod would configure: each test sends a request (from a ' +
          "pod's sidecar, at a gateway, or from outside through the ingress gateway) and checks the " +
          'destination (host, subset, port, cluster), the status, redirect and rewrite, the fault, timeout and ' +
          'retry policy, and the traffic shares. Lists in a request expand to every combination. Failures show ' +
          'the route trace naming the VirtualService rule (file:line). Reports which VirtualService rules the ' +
          'tests exercised and which no request can ever reach, runs the ready-made property tests a file ' +
          "lists (saving counterexamples), and reads Envoy's router_check_tool test files.",
      )
      .argument('<tests...>', 'rule-test files (YAML or JSON)')
      .option('-f, --filename <path>', 'manifest file or folder (repeatable; "-" for stdin)', collect, [])
      .option('--from <pod>', 'sender for tests that name none (router_check_tool files): a pod whose sidecar sends')
      .option('--gateway <pod>', 'sender for tests that name none: a gateway pod that receives')
      .option('--junit <file>', 'write JUnit XML to this file')
      .option('--fail-under <pct>', 'exit 1 when route coverage is under this percentage')
      .option('--only-failures', 'print only failing tests')
      .option('--seed <n>', "fast-check's seed for the properties", '1')
      .option(
        '--counterexamples <dir>',
        "where failing properties' counterexamples are saved",
        'meshsim-counterexamples',
      )
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText('after', EXAMPLES)
      .action(async (testFiles: string[], o: CheckOptions) => {
        const failUnder = parsePercent(o.failUnder);
        if (o.from !== undefined && o.gateway !== undefined)
          throw new ConfigError('give --from or --gateway, not both', { field: '--gateway' });
        const files: RuleTestFile[] = [];
        const manifestPaths: string[] = [];
        for (const f of testFiles) {
          let text: string;
          try {
            text = await readFile(resolve(ctx.io.cwd, f), 'utf8');
          } catch (e) {
            throw new ConfigError(`cannot read ${JSON.stringify(f)}: ${(e as Error).message}`, { file: f });
          }
          const parsed = parseRuleTests(f, text);
          files.push(parsed);
          for (const m of parsed.manifests) manifestPaths.push(join(dirname(f), m));
        }
        manifestPaths.push(...o.filename);
        if (manifestPaths.length === 0) {
          throw new ConfigError('no manifests: give -f PATH, or list them under `manifests:` in the tests file', {
            field: '--filename',
          });
        }
        const model = loadMeshModel(await readManifestInputs([...new Set(manifestPaths)], ctx.io));
        if (!/^\d{1,15}$/.test(o.seed))
          throw new ConfigError(`invalid --seed ${JSON.stringify(o.seed)}: expected an integer`, { field: '--seed' });
        const run = runRuleTests(
          model,
          files,
          {
            ...(o.from !== undefined ? { from: o.from } : {}),
            ...(o.gateway !== undefined ? { gateway: o.gateway } : {}),
          },
          { seed: Number(o.seed) },
        );
        const failing = run.files.flatMap((f) => f.properties).filter((p) => p.file !== undefined);
        for (const p of failing) {
          const dir = resolve(ctx.io.cwd, o.counterexamples);
          try {
            await mkdir(dir, { recursive: true });
            await writeFile(join(dir, (p.file as { name: string }).name), (p.file as { text: string }).text);
          } catch (e) {
            throw new ConfigError(`cannot write ${JSON.stringify(o.counterexamples)}: ${(e as Error).message}`, {
              field: '--counterexamples',
            });
          }
        }
        const options = {
          ...(o.onlyFailures === true ? { onlyFailures: true } : {}),
          ...(failUnder !== undefined ? { failUnder } : {}),
          ...(failing.length > 0 ? { counterexampleDir: o.counterexamples } : {}),
        };
        ctx.io.out(
          o.output === 'json' ? `${JSON.stringify(jsonReport(run, options), null, 2)}\n` : textReport(run, options),
        );
        if (o.junit !== undefined) {
          const xml = junitXml(
            run.files.map((f) => ({
              file: f.file.file,
              results: f.results,
              properties: f.properties,
              details: new Map(f.results.filter((r) => r.status === 'failed').map((r) => [r, explainFailure(r)])),
            })),
            run.coverage,
            failUnder,
          );
          const path = resolve(ctx.io.cwd, o.junit);
          try {
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, xml);
          } catch (e) {
            throw new ConfigError(`cannot write ${JSON.stringify(o.junit)}: ${(e as Error).message}`, {
              field: '--junit',
            });
          }
        }
        const under = failUnder !== undefined && run.coverage.percent < failUnder;
        ctx.setExit(run.failed > 0 || under ? ExitCode.FINDINGS : ExitCode.OK);
      });
  },
};
