/**
 * Reads `istio-iptables` arguments and environment as the istio-init container gets them from the
 * injection template (`istio-iptables -p 15001 -z 15006 -u 1337 -m REDIRECT -i '*' -x "" -b '*'
 * -d 15090,15021,15020 --log_output_level=default:info`, env from `proxyMetadata`), with pflag's syntax:
 * `-p 15001`, `-p15001`, `-p=15001`, `--envoy-port 15001`, `--envoy-port=15001`, bare boolean flags.
 * Environment variables are read first and flags override them (istio/istio pkg/flag `BindEnv`,
 * tools/istio-iptables/pkg/cmd/root.go `bindCmdlineFlags`).
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { DEFAULT_ISTIO_IPTABLES_CONFIG, validateIstioIptablesConfig, type IstioIptablesConfig } from './config.js';

type Key = keyof IstioIptablesConfig;

interface Flag {
  readonly long: string;
  readonly short?: string;
  /** The config field it sets; undefined for flags that do not change the rules. */
  readonly key?: Key;
  readonly bool?: boolean;
  /** Environment variables that set it (BindEnv's FLAG_NAME, then AdditionalEnv ones, which win). */
  readonly env: readonly string[];
}

const envName = (long: string): string => long.toUpperCase().replace(/-/g, '_');
const f = (
  long: string,
  short: string | undefined,
  key: Key | undefined,
  opts: { bool?: boolean; noEnv?: boolean; extraEnv?: string[] } = {},
): Flag => ({
  long,
  ...(short ? { short } : {}),
  ...(key ? { key } : {}),
  ...(opts.bool ? { bool: true } : {}),
  env: opts.noEnv ? [] : [envName(long), ...(opts.extraEnv ?? [])],
});

/** The flags of root.go `bindCmdlineFlags`. */
const FLAGS: readonly Flag[] = [
  f('envoy-port', 'p', 'proxyPort', { noEnv: true }),
  f('inbound-capture-port', 'z', 'inboundCapturePort'),
  f('inbound-tunnel-port', 'e', 'inboundTunnelPort'),
  f('proxy-uid', 'u', 'proxyUID'),
  f('proxy-gid', 'g', 'proxyGID'),
  f('istio-inbound-interception-mode', 'm', 'inboundInterceptionMode'),
  f('istio-inbound-ports', 'b', 'inboundPortsInclude'),
  f('istio-local-exclude-ports', 'd', 'inboundPortsExclude'),
  f('istio-exclude-interfaces', 'c', 'excludeInterfaces'),
  f('istio-service-cidr', 'i', 'outboundIPRangesInclude'),
  f('istio-service-exclude-cidr', 'x', 'outboundIPRangesExclude'),
  f('istio-outbound-ports', 'q', 'outboundPortsInclude'),
  f('istio-local-outbound-ports-exclude', 'o', 'outboundPortsExclude'),
  f('kube-virt-interfaces', 'k', 'rerouteVirtualInterfaces'),
  f('istio-inbound-tproxy-mark', 't', 'inboundTProxyMark'),
  f('istio-inbound-tproxy-route-table', 'r', 'inboundTProxyRouteTable'),
  f('dry-run', 'n', undefined, { bool: true }),
  f('iptables-probe-port', undefined, undefined),
  f('probe-timeout', undefined, undefined),
  f('skip-rule-apply', undefined, 'skipRuleApply', { bool: true }),
  f('run-validation', undefined, undefined, { bool: true }),
  f('redirect-dns', undefined, 'redirectDNS', { bool: true, extraEnv: ['ISTIO_META_DNS_CAPTURE'] }),
  f('drop-invalid', undefined, 'dropInvalid', { bool: true, extraEnv: ['INVALID_DROP'] }),
  f('dual-stack', undefined, undefined, { bool: true, extraEnv: ['ISTIO_DUAL_STACK'] }),
  f('capture-all-dns', undefined, 'captureAllDNS', { bool: true }),
  f('network-namespace', undefined, undefined),
  f('cni-mode', undefined, undefined, { bool: true }),
  f('reconcile', undefined, undefined, { bool: true }),
  f('cleanup-only', undefined, undefined, { bool: true }),
  f('force-apply', undefined, undefined, { bool: true }),
  f('native-nftables', undefined, 'nativeNftables', { bool: true }),
  f('force-iptables-binary', undefined, undefined),
];

/** Env-only settings (constants.go `env.Register`). */
const ENV_ONLY: Readonly<Record<string, Key>> = {
  ISTIO_OUTBOUND_OWNER_GROUPS: 'ownerGroupsInclude',
  ISTIO_OUTBOUND_OWNER_GROUPS_EXCLUDE: 'ownerGroupsExclude',
  ISTIO_OUTBOUND_IPV4_LOOPBACK_CIDR: 'hostIPv4LoopbackCidr',
};

// strconv.ParseBool.
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** What istio-iptables learns from the pod besides its arguments. */
export interface IstioIptablesEnvironment {
  /** The istio-init container's environment (proxyMetadata such as ISTIO_META_DNS_CAPTURE). */
  readonly env?: Readonly<Record<string, string>>;
  /** The pod's /etc/resolv.conf nameservers (the cluster DNS Service IP); IPv4 and IPv6 are separated. */
  readonly nameservers?: readonly string[];
  /** Whether the pod has an IPv6 address (istio-iptables sets ENABLE_INBOUND_IPV6 from it). */
  readonly ipv6?: boolean;
  /** Where the arguments came from, for errors (file/line/object of the pod). */
  readonly where?: SourceLocation;
}

/**
 * Parses an `istio-iptables` argument vector (optionally starting with `istio-iptables`, as the
 * istio-init container's `args` do) into its configuration. Unknown flags are errors, as pflag makes them;
 * logging flags (`--log_*`) and flags that do not change the rules are accepted and ignored.
 */
export function parseIstioIptablesArgs(
  argv: readonly string[],
  environment: IstioIptablesEnvironment = {},
): IstioIptablesConfig {
  const where = environment.where ?? {};
  const cfg: Record<string, unknown> = { ...DEFAULT_ISTIO_IPTABLES_CONFIG, proxyUID: '' };
  const env = environment.env ?? {};
  const set = (flag: Flag, value: string, fromEnv: boolean): void => {
    if (flag.key === undefined) return;
    if (flag.bool) {
      const b = parseBool(value);
      if (b === undefined) {
        if (fromEnv) return; // BindEnv ignores fs.Set errors
        throw new ConfigError(
          `invalid argument "${value}" for "--${flag.long}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
          { ...where, field: `--${flag.long}` },
          'istio-iptables',
        );
      }
      cfg[flag.key] = b;
    } else cfg[flag.key] = value;
  };
  for (const flag of FLAGS)
    for (const name of flag.env) if (env[name] !== undefined) set(flag, env[name] as string, true);
  for (const [name, key] of Object.entries(ENV_ONLY)) if (env[name] !== undefined) cfg[key] = env[name];

  const args = [...argv];
  if (args[0] === 'pilot-agent') args.shift();
  if (args[0] === 'istio-iptables') args.shift();
  const bad = (msg: string): never => {
    throw new ConfigError(msg, { ...where, field: 'istio-init args' }, 'istio-iptables');
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue; // cobra passes positional arguments through
    let flag: Flag | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (name.startsWith('log_')) {
        // pkg/log options: --log_as_json and --log_caller-style booleans take no value.
        if (inline === undefined && name !== 'log_as_json' && !(args[i + 1] ?? '-').startsWith('-')) i++;
        continue;
      }
      flag = FLAGS.find((x) => x.long === name);
      if (flag === undefined) bad(`unknown flag: --${name}`);
    } else {
      const c = a[1] as string;
      flag = FLAGS.find((x) => x.short === c);
      if (flag === undefined) bad(`unknown shorthand flag: '${c}' in ${a}`);
      if (a.length > 2) inline = a[2] === '=' ? a.slice(3) : a.slice(2);
    }
    const fl = flag as Flag;
    if (fl.bool) {
      set(fl, inline ?? 'true', false);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined) bad(`flag needs an argument: --${fl.long}`);
      i++;
    }
    set(fl, value as string, false);
  }
  if (cfg['proxyUID'] === '') cfg['proxyUID'] = '1337'; // user.Lookup("istio-proxy") in the proxyv2 image
  if (cfg['proxyGID'] === '') cfg['proxyGID'] = cfg['proxyUID'];
  const v4: string[] = [];
  const v6: string[] = [];
  // FillConfigFromEnvironment reads /etc/resolv.conf only for DNS capture to specific servers.
  if (cfg['redirectDNS'] === true && cfg['captureAllDNS'] !== true) {
    for (const s of environment.nameservers ?? []) (s.includes(':') ? v6 : v4).push(s);
  }
  cfg['dnsServersV4'] = Object.freeze(v4);
  cfg['dnsServersV6'] = Object.freeze(v6);
  cfg['enableIPv6'] = environment.ipv6 ?? false;
  const out = Object.freeze(cfg) as unknown as IstioIptablesConfig;
  validateIstioIptablesConfig(out, where);
  return out;
}
