/**
 * `meshsim iptables`: the netfilter rules of a pod and what they do to a connection.
 * - `rules` prints what `iptables-save` would show in a sidecar pod (the rules istio-iptables installs
 *   from its istio-init arguments), the istio-iptables restore payload itself, or a node's kube-proxy rules.
 * - `trace` follows a connection's first packet through the kernel's hooks, rule by rule, and says where
 *   it ends: captured by a local socket (15001, 15006…), DNATed, dropped, or passed on unchanged.
 * Exit 0 on success (whatever the verdict), 2 for usage or input errors.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, findPodRef, findProxy, loadMeshModel, type MeshModel } from '@meshsim/sim-core';
import {
  buildIstioRules,
  buildKubeProxyRules,
  formatIp,
  formatSave,
  formatTrace,
  istioPodNamespace,
  istioRuleset,
  kubeProxyNamespace,
  kubeProxyServicePorts,
  loadRulesets,
  nodeNamespace,
  parseEndpoint,
  parseIp,
  parseIstioIptablesArgs,
  parseRestore,
  podNamespace,
  splitShellWords,
  traceToJson,
  type IstioIptablesRules,
  type NetNamespace,
  type PacketOutcome,
  type Ruleset,
  type TraceJson,
} from '@meshsim/sim-core/netfilter';
import { Option, type Command } from 'commander';
import type { CommandContext, CommandModule } from '../command.js';
import { ExitCode } from '../io.js';
import { readManifestInputs } from '../../load/manifestFiles.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface RuleSourceOptions {
  filename: string[];
  pod?: string;
  istioArgs?: string;
  env: string[];
  nameserver: string[];
  ipv6?: boolean;
}

const RULES_EXAMPLES = `
Examples:
  # The rules istio-init installs in a pod (iptables-save view)
  meshsim iptables rules --pod productpage-v1.default -f manifests/

  # Without a cluster: the rules for istio-iptables arguments, as the injection template writes them
  meshsim iptables rules --istio-args "-p 15001 -z 15006 -u 1337 -m REDIRECT -i '*' -x '' -b '*' -d 15090,15021,15020"

  # ... with DNS capture (proxyMetadata ISTIO_META_DNS_CAPTURE) and the payload istio-iptables feeds iptables-restore
  meshsim iptables rules --istio-args "-i '*' -b '*'" --env ISTIO_META_DNS_CAPTURE=true --nameserver 10.96.0.10 --format restore

  # A node's kube-proxy rules (iptables mode) for the Services in the manifests
  meshsim iptables rules --kube-proxy -f manifests/`;

const TRACE_EXAMPLES = `
Examples:
  # The app in a sidecar pod calls a Service: OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT → 15001
  meshsim iptables trace --pod toolbox.sidecar -f manifests/ --direction out --dst 10.96.0.10:80

  # Envoy itself (uid 1337) makes the same call: it leaves the pod unchanged
  meshsim iptables trace --pod toolbox.sidecar -f manifests/ --direction out --dst 10.96.0.10:80 --uid 1337 --gid 1337

  # Inbound to the app's port: PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT → 15006
  meshsim iptables trace --pod nginx.sidecar -f manifests/ --direction in --dst 10.244.1.5:80

  # Any rules file (iptables-save output or a restore payload), JSON out
  meshsim iptables trace --rules pod.rules --pod-ip 10.244.1.5 --direction out --dst 10.96.0.10:80 -o json

With --rules the pod's own address is --pod-ip, by default --src for outbound and the destination for
inbound; several --rules files are loaded in order, as iptables-restore --noflush would. With --pod, a
packet that leaves the pod continues through its node's kube-proxy rules.
Text output: one line per rule examined ("YES" matched, "no" with the first failing test and the packet's
value), kernel steps marked "*", and the verdict. JSON: {"verdict", "localPort"?, "destination",
"originalDestination", "hops": [{table, chain, rule, text, matched, verdict}], ...} — see
docs/concepts/traffic-capture.md.`;

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--env expects NAME=VALUE, got ${JSON.stringify(p)}`, { field: '--env' });
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}

/** The istio-iptables rules of a pod from the mesh model, or undefined when it has no istio-init. */
function podRules(
  model: MeshModel,
  ref: string,
): { rules: IstioIptablesRules | undefined; podIp: string; name: string; hostIP: string } {
  const proxy = findProxy(model, ref);
  const pod = findPodRef(model, ref);
  if (pod === undefined)
    throw new ConfigError(`no pod matches ${JSON.stringify(ref)} (give POD[.NAMESPACE]; a unique prefix is enough)`, {
      field: '--pod',
    });
  if (pod.podIP === '')
    throw new ConfigError(`pod ${pod.namespace}/${pod.name} is Pending: it has no IP yet`, { field: '--pod' });
  const inv = proxy?.iptables;
  const name = `${pod.namespace}/${pod.name}`;
  if (inv === undefined) return { rules: undefined, podIp: pod.podIP, name, hostIP: pod.hostIP };
  const ipv6 = pod.podIP.includes(':');
  const cfg = parseIstioIptablesArgs(inv.args, {
    env: inv.env,
    nameservers: inv.dnsServers,
    ipv6,
    where: { kind: 'Pod', object: name, field: 'spec.initContainers[istio-init].args' },
  });
  return { rules: buildIstioRules(cfg), podIp: pod.podIP, name, hostIP: pod.hostIP };
}

function istioArgsRules(o: RuleSourceOptions): IstioIptablesRules {
  const argv = splitShellWords(o.istioArgs ?? '');
  const cfg = parseIstioIptablesArgs(argv, {
    env: parseEnv(o.env),
    nameservers: o.nameserver,
    ipv6: o.ipv6 === true,
    where: { field: '--istio-args' },
  });
  return buildIstioRules(cfg);
}

function registerRules(parent: Command, ctx: CommandContext): Command {
  return parent
    .command('rules')
    .summary("print a pod's capture rules (or a node's kube-proxy rules)")
    .description(
      'Print the iptables rules a sidecar pod gets: istio-iptables run with the arguments and environment ' +
        'the injection template gives istio-init (or the arguments you pass with --istio-args, without a ' +
        'cluster). --format save shows them as iptables-save would inside the pod; --format restore shows the ' +
        "payload istio-iptables feeds iptables-restore --noflush (what Istio's own golden files hold).",
    )
    .option('-f, --filename <path>', 'manifest file or folder (repeatable; "-" for stdin)', collect, [])
    .option('--pod <pod>', 'the pod, POD[.NS]')
    .option('--istio-args <args>', 'istio-iptables arguments, shell-quoted, instead of a pod')
    .option(
      '--env <NAME=VALUE>',
      'istio-init environment for --istio-args (repeatable), e.g. ISTIO_META_DNS_CAPTURE=true',
      collect,
      [],
    )
    .option('--nameserver <ip>', "the pod's resolv.conf nameserver for DNS capture (repeatable)", collect, [])
    .option('--ipv6', 'the pod has an IPv6 address (adds the ip6tables rules)')
    .option('--kube-proxy', "print the node's kube-proxy rules for the Services in -f instead")
    .addOption(
      new Option('--format <format>', 'iptables-save view or istio-iptables restore payload')
        .choices(['save', 'restore'])
        .default('save'),
    )
    .addHelpText('after', RULES_EXAMPLES)
    .action(async (o: RuleSourceOptions & { kubeProxy?: boolean; format: 'save' | 'restore' }) => {
      const sources = [o.pod !== undefined, o.istioArgs !== undefined, o.kubeProxy === true].filter(Boolean).length;
      if (sources !== 1) throw new ConfigError('give exactly one of --pod, --istio-args or --kube-proxy');
      if ((o.pod !== undefined || o.kubeProxy) && o.filename.length === 0)
        throw new ConfigError('--pod and --kube-proxy need the manifests: -f PATH', { field: '-f' });
      if (o.kubeProxy) {
        const model = loadMeshModel(await readManifestInputs(o.filename, ctx.io));
        const kp = buildKubeProxyRules(kubeProxyServicePorts(model.cluster), { clusterCIDR: model.cluster.podCIDR });
        ctx.io.out(
          o.format === 'restore'
            ? `# kube-proxy jump rules (EnsureRule)\n${kp.jumps}# syncProxyRules: iptables-restore --noflush\n${kp.sync}`
            : formatSave(loadRulesets([parseRestore(kp.jumps), parseRestore(kp.sync)]), { style: 'canonical' }),
        );
        return;
      }
      let rules: IstioIptablesRules;
      let header: string;
      if (o.pod !== undefined) {
        const p = podRules(loadMeshModel(await readManifestInputs(o.filename, ctx.io)), o.pod);
        if (p.rules === undefined) {
          ctx.io.out(
            `# pod ${p.name} has no istio-init container (no sidecar, a gateway, or istio-cni): istio-iptables installs no rules in it\n`,
          );
          return;
        }
        rules = p.rules;
        header = `pod ${p.name} (${p.podIp})`;
      } else {
        rules = istioArgsRules(o);
        header = 'istio-iptables';
      }
      if (o.format === 'restore') {
        ctx.io.out(`# ${header}: iptables-restore --noflush input\n${rules.v4}`);
        if (rules.v6 !== undefined) ctx.io.out(`# ${header}: ip6tables-restore --noflush input\n${rules.v6}`);
        return;
      }
      ctx.io.out(formatSave(istioRuleset(rules, 4), { style: 'canonical', header: `${header}: iptables-save` }));
      if (rules.v6 !== undefined)
        ctx.io.out(formatSave(istioRuleset(rules, 6), { style: 'canonical', header: `${header}: ip6tables-save` }));
      if (rules.policyRoutes.length > 0) {
        ctx.io.out(
          `# policy routing (istio-iptables TPROXY): ip rule add fwmark ${rules.config.inboundTProxyMark} lookup ${rules.config.inboundTProxyRouteTable}; ip route add local default dev lo table ${rules.config.inboundTProxyRouteTable}\n`,
        );
      }
    });
}

interface TraceOptions extends RuleSourceOptions {
  rules: string[];
  direction: 'out' | 'in';
  dst: string;
  src?: string;
  sport: string;
  podIp?: string;
  uid: string;
  gid: string;
  protocol: 'tcp' | 'udp';
  node?: boolean;
  output: 'text' | 'json';
}

const intOption = (v: string, name: string, max: number): number => {
  if (!/^\d+$/.test(v) || Number(v) > max)
    throw new ConfigError(`invalid ${name} ${JSON.stringify(v)}: expected an integer 0-${max}`, { field: name });
  return Number(v);
};

const ipOption = (v: string, name: string) => {
  const ip = parseIp(v);
  if (ip === undefined)
    throw new ConfigError(`invalid ${name} ${JSON.stringify(v)}: expected an IPv4 or IPv6 address`, { field: name });
  return ip;
};

async function rulesFiles(paths: readonly string[], family: 4 | 6, ctx: CommandContext): Promise<Ruleset> {
  const payloads = [];
  for (const path of paths) {
    const text = await readFile(resolve(ctx.io.cwd, path), 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new ConfigError(
        e.code === 'ENOENT'
          ? `the path ${JSON.stringify(path)} does not exist`
          : `cannot read ${JSON.stringify(path)}: ${e.message}`,
        { file: path },
      );
    });
    payloads.push(parseRestore(text, { file: path, family }));
  }
  return loadRulesets(payloads, family);
}

function registerTrace(parent: Command, ctx: CommandContext): Command {
  return parent
    .command('trace')
    .summary("follow a connection's first packet through a pod's iptables rules")
    .description(
      "Follow the first packet of a connection through the kernel's netfilter hooks in a pod (or any " +
        'namespace whose rules you give): raw, conntrack, mangle, nat, filter at OUTPUT or PREROUTING, ' +
        'routing, loopback, INPUT and POSTROUTING — every rule examined, matched or not — and say where it ' +
        'ends. The nat table decides only the first packet; conntrack applies its decision to the rest.',
    )
    .option('-f, --filename <path>', 'manifest file or folder (repeatable; "-" for stdin)', collect, [])
    .option('--pod <pod>', 'the pod, POD[.NS] (its istio-iptables rules; its node for packets that leave it)')
    .option(
      '--rules <file>',
      'iptables-save output or iptables-restore input (repeatable, loaded in order)',
      collect,
      [],
    )
    .option('--istio-args <args>', 'istio-iptables arguments instead of --pod/--rules (with --env, --nameserver)')
    .option('--env <NAME=VALUE>', 'istio-init environment for --istio-args (repeatable)', collect, [])
    .option('--nameserver <ip>', "the pod's resolv.conf nameserver for --istio-args (repeatable)", collect, [])
    .addOption(
      new Option('--direction <dir>', 'out: sent by a process in the pod; in: received from the network')
        .choices(['out', 'in'])
        .makeOptionMandatory(),
    )
    .requiredOption('--dst <ip:port>', 'destination address and port')
    .option(
      '--src <ip>',
      'source address (out: the bound address, default chosen by routing; in: the peer, default 192.0.2.1)',
    )
    .option('--sport <port>', 'source port', '40000')
    .option('--pod-ip <ip>', "the pod's own address (with --rules/--istio-args)")
    .option('--uid <n>', 'uid of the sending process (out)', '0')
    .option('--gid <n>', 'gid of the sending process (out)', '0')
    .addOption(new Option('-p, --protocol <proto>', 'transport protocol').choices(['tcp', 'udp']).default('tcp'))
    .option('--node', "with --rules: the rules are a node's (kube-proxy): forwarding is on")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', TRACE_EXAMPLES)
    .action(async (o: TraceOptions) => {
      const sources = [o.pod !== undefined, o.rules.length > 0, o.istioArgs !== undefined].filter(Boolean).length;
      if (sources !== 1) throw new ConfigError('give exactly one of --pod (with -f), --rules FILE… or --istio-args');
      const dst = parseEndpoint(o.dst);
      if (dst === undefined)
        throw new ConfigError(`invalid --dst ${JSON.stringify(o.dst)}: expected IP:PORT (or [IPv6]:PORT)`, {
          field: '--dst',
        });
      const family = dst.ip.family;
      const sport = intOption(o.sport, '--sport', 65535);
      const protocol = o.protocol === 'udp' ? 17 : 6;
      let ns: NetNamespace;
      let node: (() => Promise<{ ns: NetNamespace; name: string }>) | undefined;
      let label: string;
      if (o.pod !== undefined) {
        if (o.filename.length === 0) throw new ConfigError('--pod needs the manifests: -f PATH', { field: '-f' });
        const model = loadMeshModel(await readManifestInputs(o.filename, ctx.io));
        const p = podRules(model, o.pod);
        ns = p.rules
          ? istioPodNamespace(p.rules, p.podIp)
          : podNamespace(p.podIp, { rules: { family: p.podIp.includes(':') ? 6 : 4, tables: [] } });
        label = `pod ${p.name} (${p.podIp})${p.rules ? '' : ' — no istio-init, no capture rules'}`;
        node = async () => {
          const kp = buildKubeProxyRules(kubeProxyServicePorts(model.cluster), { clusterCIDR: model.cluster.podCIDR });
          return { ns: kubeProxyNamespace(kp, p.hostIP), name: `node ${p.hostIP} (kube-proxy)` };
        };
      } else {
        const podIp = o.podIp ?? (o.direction === 'out' ? o.src : formatIp(dst.ip));
        if (podIp === undefined)
          throw new ConfigError("give --pod-ip (the pod's address) or --src for an outbound trace", {
            field: '--pod-ip',
          });
        const ip = ipOption(podIp, '--pod-ip');
        if (o.istioArgs !== undefined) {
          ns = istioPodNamespace(istioArgsRules({ ...o, ipv6: family === 6 }), ip);
          label = `pod ${podIp} with istio-iptables ${o.istioArgs}`;
        } else {
          const rs = await rulesFiles(o.rules, family, ctx);
          // istio-iptables pairs TPROXY with a policy route for its mark (tools/common/tproxy).
          const marks = [
            ...new Set(
              rs.tables.flatMap((t) =>
                t.chains.flatMap((c) => c.rules.flatMap((r) => (r.target.kind === 'TPROXY' ? [r.target.mark] : []))),
              ),
            ).values(),
          ];
          const opts = { rules: rs, policyRoutes: marks.map((m) => ({ fwmark: m, mask: 0xffffffff })) };
          ns = o.node ? nodeNamespace(ip, opts) : podNamespace(ip, opts);
          label = `${o.node ? 'node' : 'pod'} ${podIp} with ${o.rules.join(', ')}${marks.length ? ` (assuming istio-iptables' policy route: fwmark ${marks.join(', ')} → local)` : ''}`;
        }
      }
      const trace = { trace: true, track: false };
      const first: PacketOutcome =
        o.direction === 'out'
          ? ns.output(
              {
                protocol,
                dst: dst.ip,
                dport: dst.port,
                sport,
                ...(o.src ? { src: ipOption(o.src, '--src') } : {}),
                owner: { uid: intOption(o.uid, '--uid', 4294967294), gid: intOption(o.gid, '--gid', 4294967294) },
              },
              trace,
            )
          : ns.input(
              {
                protocol,
                src: ipOption(o.src ?? (family === 4 ? '192.0.2.1' : '2001:db8::1'), '--src'),
                sport,
                dst: dst.ip,
                dport: dst.port,
              },
              trace,
            );
      const parts: { label: string; outcome: PacketOutcome }[] = [{ label, outcome: first }];
      if (node !== undefined && o.direction === 'out' && first.delivered === 'out') {
        const n = await node();
        const second = n.ns.input(
          {
            protocol,
            src: first.source.ip,
            sport: first.source.port,
            dst: first.destination.ip,
            dport: first.destination.port,
          },
          trace,
        );
        parts.push({ label: n.name, outcome: second });
      }
      if (o.output === 'json') {
        ctx.io.out(`${JSON.stringify(combinedJson(parts), null, 2)}\n`);
      } else {
        for (const p of parts) ctx.io.out(`== ${p.label}\n${formatTrace(p.outcome)}`);
      }
      ctx.setExit(ExitCode.OK);
    });
}

/** One JSON document for a trace through one or two namespaces (the pod, then its node). */
function combinedJson(
  parts: readonly { label: string; outcome: PacketOutcome }[],
): TraceJson & { namespaces: string[] } {
  const docs = parts.map((p) => traceToJson(p.outcome));
  const first = docs[0] as TraceJson;
  const last = docs[docs.length - 1] as TraceJson;
  return {
    ...last,
    originalDestination: first.originalDestination,
    originalSource: first.originalSource,
    verdict: last.verdict === 'pass' && docs.some((d) => d.verdict === 'dnat') ? 'dnat' : last.verdict,
    hops: docs.flatMap((d, i) => d.hops.map((h) => ({ ...h, netns: parts[i]!.label }))),
    notes: docs.flatMap((d, i) => d.notes.map((n) => `${parts[i]!.label}: ${n}`)),
    namespaces: parts.map((p) => p.label),
  };
}

export const iptablesCommand: CommandModule = {
  name: 'iptables',
  register(program: Command, ctx: CommandContext): void {
    const cmd = program
      .command('iptables')
      .summary("show a pod's netfilter rules and trace a connection through them")
      .description(
        'Traffic capture: the iptables rules istio-iptables installs in sidecar pods (and kube-proxy on nodes), and what they do to a connection.',
      );
    for (const sub of [registerRules(cmd, ctx), registerTrace(cmd, ctx)]) {
      sub.exitOverride().configureOutput({ writeOut: (t) => ctx.io.out(t), writeErr: (t) => ctx.io.err(t) });
    }
  },
};
