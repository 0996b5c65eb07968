/**
 * `meshsim analyze`: what `istioctl analyze -f` would report about the manifests — the same IST codes,
 * levels and wording, in its text or JSON format — plus meshsim's own MSH findings. Invalid objects are
 * reported (IST0106) beside everything else; analysis goes on. Exit 1 when any finding reaches the failure
 * threshold (Error by default), 0 otherwise, 2 for usage or input errors (a missing file).
 */
import { basename, dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  analyzeManifests,
  ConfigError,
  findingsToJson,
  formatFinding,
  parseClusterEnv,
  virtualMachineFromEnv,
  type Finding,
  type VirtualMachine,
} from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliIO } from '../io.js';
import { ExitCode } from '../io.js';
import { readManifestInputs } from '../../load/manifestFiles.js';

interface AnalyzeOptions {
  filename: string[];
  output: 'text' | 'json';
  namespace?: string;
  allNamespaces?: boolean;
  vm: string[];
  failureThreshold: 'Error' | 'Warning' | 'Info';
  outputThreshold: 'Error' | 'Warning' | 'Info';
  color?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const LEVELS = ['Error', 'Warning', 'Info'] as const;
const rank = (l: Finding['level']): number => LEVELS.indexOf(l);

const EXAMPLES = `
Examples:
  # Analyze a folder of manifests (as kubectl apply -f reads it)
  meshsim analyze -f packages/sim-core/testdata/seeds/canary

  # Several paths, JSON output (fields as istioctl's: code, level, message, origin, reference, documentationUrl)
  meshsim analyze -f base/ -f overlays/prod.yaml -o json

  # Only findings about one namespace
  meshsim analyze -f manifests/ -n bookinfo

  # A VM joins the mesh with its agent's cluster.env (it auto-registers with its WorkloadGroup)
  meshsim analyze -f packages/sim-core/testdata/seeds/vm-mesh-expansion \\
    --vm packages/sim-core/testdata/seeds/vm-mesh-expansion/vm/cluster.env

Output lines read: Level [CODE] (Kind namespace/name file:line) message. IST codes are istioctl's
(https://istio.io/latest/docs/reference/config/analysis/); MSH codes are meshsim's own (docs/concepts/mesh-model.md).
Unlike istioctl, which analyzes the "default" namespace unless given -A, meshsim analyzes every namespace
unless given -n.
Exit codes: 0 no finding at or above --failure-threshold, 1 findings, 2 usage or input errors.`;

/** Reads `--vm` files: `cluster.env` of a VM (named after its folder, or the file). */
async function readVms(paths: readonly string[], io: CliIO): Promise<VirtualMachine[]> {
  const vms: VirtualMachine[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, path), 'utf8');
    } catch {
      throw new ConfigError(`the path ${JSON.stringify(path)} does not exist`, { file: path, field: '--vm' });
    }
    const name =
      basename(path) === 'cluster.env'
        ? basename(dirname(resolve(io.cwd, path)))
        : basename(path).replace(/\.env$/, '');
    vms.push(virtualMachineFromEnv(name, parseClusterEnv(text, path)));
  }
  return vms;
}

export const analyzeCommand: CommandModule = {
  name: 'analyze',
  register(program: Command, ctx) {
    program
      .command('analyze')
      .summary("report problems in manifests with istioctl analyze's codes and wording")
      .description("Report problems in manifests with istioctl analyze's codes and wording (IST0101, IST0106, …)")
      .requiredOption('-f, --filename <path>', 'manifest file or folder (repeatable; "-" reads stdin)', collect, [])
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('-n, --namespace <ns>', 'only report findings about objects in this namespace')
      .option('-A, --all-namespaces', 'report findings in every namespace (the default)')
      .option('--vm <cluster.env>', "a VM joining the mesh, given by its agent's cluster.env (repeatable)", collect, [])
      .addOption(
        new Option('--failure-threshold <level>', 'lowest level that makes the exit code 1')
          .choices([...LEVELS])
          .default('Error'),
      )
      .addOption(new Option('--output-threshold <level>', 'lowest level printed').choices([...LEVELS]).default('Info'))
      .option('--color', 'colour levels as istioctl does on a terminal')
      .addHelpText('after', EXAMPLES)
      .action(async (opts: AnalyzeOptions) => {
        if (opts.filename.length === 0) throw new ConfigError('give at least one -f PATH', { field: '--filename' });
        if (opts.namespace !== undefined && opts.allNamespaces === true)
          throw new ConfigError('-n and -A cannot be combined', { field: '--namespace' });
        const inputs = await readManifestInputs(opts.filename, ctx.io);
        const vms = await readVms(opts.vm, ctx.io);
        const { findings } = analyzeManifests(inputs, {
          ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
          model: { virtualMachines: vms },
        });
        const shown = findings.filter((f) => rank(f.level) <= rank(opts.outputThreshold));
        if (opts.output === 'json') {
          ctx.io.out(`${findingsToJson(shown)}\n`);
        } else if (shown.length > 0) {
          const color = opts.color === true;
          const paint = (f: Finding): string => {
            const line = formatFinding(f);
            if (!color || f.level === 'Info') return line;
            const prefix = f.level === 'Error' ? '\u001b[1;31m' : '\u001b[33m';
            return `${prefix}${f.level}\u001b[0m${line.slice(f.level.length)}`;
          };
          ctx.io.out(`${shown.map(paint).join('\n')}\n`);
        } else {
          const files = inputs.map((i) => i.file);
          ctx.io.err(
            files.length > 1
              ? `\u2714 No validation issues found when analyzing:\n  - ${files.join('\n  - ')}\n`
              : `\u2714 No validation issues found when analyzing ${files[0] ?? ''}.\n`,
          );
        }
        const failing = findings.some((f) => rank(f.level) <= rank(opts.failureThreshold));
        ctx.setExit(failing ? ExitCode.FINDINGS : ExitCode.OK);
      });
  },
};
