import { describe, expect, it } from 'vitest';
import { formatEndpoint, parseIp, type IpAddress } from './addr.js';
import { parseIstioIptablesArgs } from './istio/args.js';
import { buildIstioRules } from './istio/capture.js';
import { istioPodNamespace } from './namespaces.js';
import type { NetNamespace } from './netns.js';
import type { PacketOutcome } from './walk.js';

const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const ep = (e: { ip: IpAddress; port: number }): string => formatEndpoint(e.ip, e.port);

// The istio-init arguments of the injection template (pkg/kube/inject/testdata/inject/hello.yaml.injected).
const INJECTED = [
  'istio-iptables',
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
];
const POD = '10.244.1.5';
const PEER = '10.244.2.7';

function pod(extra: string[] = [], env: Record<string, string> = {}): NetNamespace {
  const cfg = parseIstioIptablesArgs([...INJECTED, ...extra], { env, nameservers: ['10.96.0.10'] });
  return istioPodNamespace(buildIstioRules(cfg), POD);
}

const TCP = 6;
const UDP = 17;
const app = { uid: 0, gid: 0 };
const envoy = { uid: 1337, gid: 1337 };

function out(ns: NetNamespace, dst: string, dport: number, owner = app, protocol = TCP, src?: string): PacketOutcome {
  return ns.output({ protocol, dst: ip(dst), dport, owner, ...(src ? { src: ip(src) } : {}) }, { trace: true });
}
function inbound(ns: NetNamespace, dport: number, protocol = TCP): PacketOutcome {
  return ns.input({ protocol, src: ip(PEER), sport: 51000, dst: ip(POD), dport }, { trace: true });
}

describe('the seed walkthrough: a sidecar pod with the injected istio-iptables rules', () => {
  it('app (uid 0) → 10.96.0.10:80 is redirected to 15001, keeping the original destination', () => {
    const o = out(pod(), '10.96.0.10', 80);
    expect(o.verdict).toBe('local');
    expect(o.localPort).toBe(15001);
    expect(ep(o.destination)).toBe('127.0.0.1:15001');
    expect(ep(o.originalDestination)).toBe('10.96.0.10:80');
    // OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT, as the seed walks it.
    expect(o.hops.filter((h) => h.matched && h.rule !== null).map((h) => h.verdict)).toEqual([
      'jump ISTIO_OUTPUT',
      'jump ISTIO_REDIRECT',
      'REDIRECT to 127.0.0.1:15001',
    ]);
  });

  it('Envoy (uid 1337) → the same address leaves the pod unchanged', () => {
    const o = out(pod(), '10.96.0.10', 80, envoy);
    expect(o.verdict).toBe('pass');
    expect(o.delivered).toBe('out');
    expect(o.outInterface).toBe('eth0');
    expect(ep(o.destination)).toBe('10.96.0.10:80');
    expect(o.hops.find((h) => h.matched && h.verdict === 'RETURN')?.text).toBe(
      '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
    );
  });

  it('a process with gid 1337 but another uid is not captured either (the gid rules)', () => {
    expect(out(pod(), '10.96.0.10', 80, { uid: 1000, gid: 1337 }).verdict).toBe('pass');
  });

  it('supplementary group 1337 does not exempt a process (no --suppl-groups)', () => {
    const o = pod().output({
      protocol: TCP,
      dst: ip('10.96.0.10'),
      dport: 80,
      owner: { uid: 1000, gid: 1000, groups: [1337] },
    });
    expect(o.verdict).toBe('local');
  });

  it('inbound to port 80 reaches 15006, on the pod IP (REDIRECT from PREROUTING uses eth0’s address)', () => {
    const o = inbound(pod(), 80);
    expect(o.verdict).toBe('local');
    expect(o.localPort).toBe(15006);
    expect(ep(o.destination)).toBe(`${POD}:15006`);
    expect(ep(o.originalDestination)).toBe(`${POD}:80`);
  });

  it.each([15021, 15090, 15020, 15008])('inbound to %i is not captured', (port) => {
    const o = inbound(pod(), port);
    expect(o.verdict).toBe('pass');
    expect(o.delivered).toBe('local');
    expect(ep(o.destination)).toBe(`${POD}:${port}`);
  });

  it('app → 127.0.0.1 is not captured', () => {
    const o = out(pod(), '127.0.0.1', 8080);
    expect(o.verdict).toBe('pass');
    expect(o.delivered).toBe('local');
    expect(ep(o.source)).toBe('127.0.0.1:32768'); // routing picks 127.0.0.1; the first ephemeral port
  });

  it('app → its own pod IP goes over lo and is not captured', () => {
    const o = out(pod(), POD, 8080);
    expect(o.verdict).toBe('pass');
    expect(o.delivered).toBe('local');
  });

  it('Envoy → its own pod IP over lo goes to 15006 (inbound listener), without meeting nat PREROUTING', () => {
    const o = out(pod(), POD, 80, envoy);
    expect(o.verdict).toBe('local');
    expect(o.localPort).toBe(15006);
    expect(ep(o.destination)).toBe('127.0.0.1:15006');
    expect(ep(o.originalDestination)).toBe(`${POD}:80`);
    expect(o.steps.some((s) => s.kind === 'table' && s.table === 'nat' && s.hook === 'PREROUTING')).toBe(false);
  });

  it('Envoy’s inbound passthrough from 127.0.0.6 to the app is not captured', () => {
    expect(out(pod(), POD, 8080, envoy, TCP, '127.0.0.6').verdict).toBe('pass');
  });

  it('UDP is not captured without DNS capture', () => {
    expect(out(pod(), '10.96.0.10', 53, app, UDP).verdict).toBe('pass');
    expect(inbound(pod(), 5000, UDP).verdict).toBe('pass');
  });

  it('with DNS capture, DNS to the cluster DNS server goes to the agent on 15053, other UDP does not', () => {
    const dns = pod([], { ISTIO_META_DNS_CAPTURE: 'true' });
    const udp = out(dns, '10.96.0.10', 53, app, UDP);
    expect(udp.verdict).toBe('local');
    expect(udp.localPort).toBe(15053);
    expect(ep(udp.originalDestination)).toBe('10.96.0.10:53');
    expect(out(dns, '10.96.0.10', 53, app, TCP).localPort).toBe(15053);
    expect(out(dns, '10.96.7.7', 5000, app, UDP).verdict).toBe('pass');
    // The agent's own upstream queries are not captured.
    expect(dns.output({ protocol: UDP, dst: ip('10.96.0.10'), dport: 53, sport: 41000, owner: envoy }).verdict).toBe(
      'pass',
    );
  });

  it('DNS conntrack zones keep an app query and an agent query with the same tuple apart', () => {
    const dns = pod([], { ISTIO_META_DNS_CAPTURE: 'true' });
    const q = { protocol: UDP, dst: ip('10.96.0.10'), dport: 53, sport: 42000 };
    expect(dns.output({ ...q, owner: app }).verdict).toBe('local'); // zone 2: redirected to the agent
    const agent = dns.output({ ...q, owner: envoy }, { trace: true }); // zone 1: a new connection of its own
    expect(agent.conntrack).toBe('new');
    expect(agent.verdict).toBe('pass');
    expect(agent.hops.filter((h) => h.verdict?.startsWith('ignored'))).toHaveLength(2); // later CT rules lose
  });

  it('TPROXY mode delivers inbound to 15006 without rewriting the destination', () => {
    const ns = pod(['-m', 'TPROXY']);
    const o = inbound(ns, 80);
    expect(o.verdict).toBe('local');
    expect(o.localPort).toBe(15006);
    expect(ep(o.destination)).toBe(`${POD}:80`);
    expect(o.mark).toBe(1337);
  });

  it('later packets and replies of a redirected connection are rewritten by conntrack', () => {
    const ns = pod();
    const first = ns.output({ protocol: TCP, dst: ip('10.96.0.10'), dport: 80, sport: 43210, owner: app });
    expect(first.conntrack).toBe('new');
    const again = ns.output(
      { protocol: TCP, dst: ip('10.96.0.10'), dport: 80, sport: 43210, owner: app },
      { trace: true },
    );
    expect(again.conntrack).toBe('established');
    expect(ep(again.destination)).toBe('127.0.0.1:15001');
    expect(again.steps.some((s) => s.kind === 'table' && s.table === 'nat')).toBe(false);
    // Envoy answers from 127.0.0.1:15001; the app sees the service address it dialled.
    const reply = ns.output({
      protocol: TCP,
      src: ip('127.0.0.1'),
      sport: 15001,
      dst: ip(POD),
      dport: 43210,
      owner: envoy,
    });
    expect(reply.conntrack).toBe('reply');
    expect(ep(reply.source)).toBe('10.96.0.10:80');
    expect(ep(reply.destination)).toBe(`${POD}:43210`);
  });

  it('an IPv6 pod gets the ip6tables rules: ::1 for REDIRECT from OUTPUT, ::6 for Envoy’s passthrough', () => {
    const cfg = parseIstioIptablesArgs(INJECTED, { ipv6: true });
    const ns6 = istioPodNamespace(buildIstioRules(cfg), 'fd00:10:244::5');
    const o = ns6.output({ protocol: TCP, dst: ip('fd00:10:96::a'), dport: 80, owner: app });
    expect([o.verdict, ep(o.destination), ep(o.originalDestination)]).toEqual([
      'local',
      '[::1]:15001',
      '[fd00:10:96::a]:80',
    ]);
    const i = ns6.input({
      protocol: TCP,
      src: ip('fd00:10:244::7'),
      sport: 51000,
      dst: ip('fd00:10:244::5'),
      dport: 80,
    });
    expect([i.verdict, ep(i.destination)]).toEqual(['local', '[fd00:10:244::5]:15006']);
    expect(
      ns6.output({ protocol: TCP, src: ip('::6'), dst: ip('fd00:10:244::5'), dport: 8080, owner: envoy }).verdict,
    ).toBe('pass');
  });

  it('a packet for 127.0.0.1 arriving on eth0 is a martian and dropped (route_localnet=0 in pods)', () => {
    // UDP: not redirected in PREROUTING, so the routing decision sees the loopback destination.
    const o = pod().input({ protocol: UDP, src: ip(PEER), sport: 51000, dst: ip('127.0.0.1'), dport: 15000 });
    expect([o.verdict, o.droppedBy]).toEqual(['drop', 'routing']);
    // TCP is redirected to the pod IP first (nat PREROUTING comes before routing), so it is not a martian.
    expect(
      pod().input({ protocol: TCP, src: ip(PEER), sport: 51000, dst: ip('127.0.0.1'), dport: 15000 }).localPort,
    ).toBe(15006);
  });
});
