/**
 * Turns a {@link RouteCall} into what the walk needs, the way the client and the kernel would: the proxy
 * that handles it, the destination the application dials (the URL host resolved as the client pod resolves
 * it — cluster DNS search path, or the Istio agent's DNS proxy when DNS capture is on), the gateway's target
 * port (a client reaches a gateway through its Service: port 80 → the pod's 8080), and whether iptables
 * redirects the connection to Envoy.
 */
import { ConfigError } from '../errors.js';
import type { HeaderMap } from '../envoy/common.js';
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import { servicesSelecting } from '../k8s/cluster/lookup.js';
import type { Pod } from '../k8s/cluster/types.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import { findPodRef, findProxy, resolveName } from '../istio/model/modelQueries.js';
import type { MeshProxy } from '../istio/model/proxy.js';
import { parseIp } from './../envoy/listener/address.js';
import { defaultAlpn, parseCallTarget, parseHeaders, type CallMode, type RouteCall } from './call.js';
import { inboundCapture, outboundCapture } from './capture.js';
import type { EnvoyOutcome, ExplainStep, ResolvedCall, RouteErrorKind, SourceRef } from './explanation.js';
import type { WalkInput } from './walk.js';

/** A call ready to walk, or a call that ends before Envoy sees it. */
export interface ResolvedInput {
  readonly proxy: MeshProxy;
  readonly pod?: Pod;
  readonly call: ResolvedCall;
  readonly steps: readonly ExplainStep[];
  readonly input?: WalkInput;
  /** The port the client dialled before any translation (a gateway's Service port). */
  readonly servicePort?: number;
  /** Set when the call never reaches Envoy (DNS failure, not captured, no sidecar). */
  readonly stop?: { readonly error?: RouteErrorKind; readonly outcome: EnvoyOutcome };
}

/** The source address an inbound call comes from when the caller is not a modelled pod. */
export const EXTERNAL_CLIENT_ADDRESS = '10.0.0.1';

function modeOf(call: RouteCall): { mode: CallMode; ref: string } {
  const given = [call.from, call.gateway, call.to].filter((x) => x !== undefined && x !== '');
  if (given.length !== 1)
    throw new ConfigError('give exactly one of --from POD, --gateway POD or --to POD --inbound', { field: '--from' });
  if (call.to !== undefined && call.to !== '') {
    if (call.inbound !== true)
      throw new ConfigError("--to POD needs --inbound (the request as the pod's sidecar receives it)", {
        field: '--inbound',
      });
    return { mode: 'inbound', ref: call.to };
  }
  if (call.inbound === true) throw new ConfigError('--inbound goes with --to POD', { field: '--inbound' });
  return call.from !== undefined && call.from !== ''
    ? { mode: 'outbound', ref: call.from }
    : { mode: 'gateway', ref: call.gateway as string };
}

function appUid(pod: Pod | undefined): number {
  const app = pod?.containers.find((c) => c.name !== 'istio-proxy');
  return app?.runAsUser ?? 0;
}

/** The gateway pod's port behind Service port `port` (named target ports resolved against its containers). */
function gatewayTargetPort(
  model: MeshModel,
  pod: Pod | undefined,
  port: number,
): { port: number; service?: string; source?: SourceRef } {
  if (pod === undefined) return { port };
  for (const svc of servicesSelecting(model.cluster, pod)) {
    const sp = svc.ports.findIndex((p) => p.port === port);
    const p = svc.ports[sp];
    if (p === undefined) continue;
    let target = typeof p.targetPort === 'number' ? p.targetPort : undefined;
    if (typeof p.targetPort === 'string') {
      const named = pod.containers.flatMap((c) => c.ports).find((cp) => cp.name === p.targetPort);
      target = named?.containerPort ?? (/^\d+$/.test(p.targetPort) ? Number(p.targetPort) : undefined);
    }
    if (target === undefined) continue;
    return {
      port: target,
      service: `${svc.namespace}/${svc.name}`,
      source: {
        file: svc.source.file,
        line: svc.source.lineOf(['spec', 'ports', sp]),
        kind: 'Service',
        object: `${svc.namespace}/${svc.name}`,
        field: `spec.ports[${sp}]`,
      },
    };
  }
  return { port };
}

/** Resolves a call against the model. Throws {@link ConfigError} for a malformed call or an unknown pod. */
export function resolveCall(model: MeshModel, call: RouteCall): ResolvedInput {
  const { mode, ref } = modeOf(call);
  const proxy = findProxy(model, ref);
  const pod = findPodRef(model, ref);
  if (proxy === undefined) {
    const what =
      pod === undefined
        ? `no pod ${JSON.stringify(ref)} (give POD[.NAMESPACE]; a unique name prefix is enough)`
        : `pod ${pod.namespace}/${pod.name} has no istio-proxy sidecar: its traffic never passes through Envoy (is its namespace labelled istio-injection=enabled?)`;
    throw new ConfigError(what, { field: mode === 'outbound' ? '--from' : mode === 'gateway' ? '--gateway' : '--to' });
  }
  if (mode === 'gateway' && proxy.type !== 'router') {
    throw new ConfigError(
      `${proxy.id} is a sidecar, not a gateway: use --to ${ref} --inbound for requests it receives`,
      { field: '--gateway' },
    );
  }
  if (mode !== 'gateway' && proxy.type === 'router') {
    throw new ConfigError(`${proxy.id} is a gateway: use --gateway ${ref}`, {
      field: mode === 'outbound' ? '--from' : '--to',
    });
  }
  // A call to a pod's sidecar may give just the port: the destination is the pod itself.
  const target = parseCallTarget(
    mode === 'inbound' && call.url === undefined && call.address === undefined ? { ...call, address: proxy.ip } : call,
  );
  const headers = parseHeaders(call.headers);
  const protocol = call.protocol ?? (target.scheme === 'tcp' ? 'tcp' : 'http');
  const tls = call.tls ?? (target.scheme === 'https' ? 'tls' : 'plaintext');
  // The port curl leaves out of Host: the scheme's default (mTLS carries plain http inside).
  const defaultPort = tls === 'tls' ? 443 : 80;
  const authority =
    headers['host']?.[0] ??
    (target.explicitPort && target.port !== defaultPort
      ? `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`
      : target.host);
  delete headers['host'];
  const hostIsIp = parseIp(target.host) !== undefined;
  const sni = call.sni ?? (tls === 'tls' && !hostIsIp ? target.host : undefined);
  const alpn = call.alpn ?? defaultAlpn(protocol, tls);
  const method = (call.method ?? 'GET').toUpperCase();
  const steps: ExplainStep[] = [];

  let destination = call.address ?? target.host;
  let port = target.port;
  const base = {
    mode,
    proxy: `${proxy.namespace}/${proxy.name}`,
    protocol,
    tls,
    ...(sni !== undefined ? { sni } : {}),
    ...(alpn.length > 0 ? { alpn } : {}),
    ...(protocol !== 'tcp' ? { method, authority, path: target.path } : {}),
    ...(Object.keys(headers).length > 0
      ? { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(',')])) }
      : {}),
  } as const;
  const resolvedCall = (): ResolvedCall => ({ ...base, destinationAddress: destination, destinationPort: port });
  /** The call as resolved so far, ending before Envoy (DNS failure, not captured). */
  const stopped = (stop: NonNullable<ResolvedInput['stop']>): ResolvedInput => ({
    proxy,
    ...(pod !== undefined ? { pod } : {}),
    call: resolvedCall(),
    steps,
    stop,
  });

  if (mode === 'outbound' && call.address === undefined && !hostIsIp) {
    const answer = resolveName(model, target.host, { namespace: proxy.namespace, proxy });
    const first = answer.addresses[0];
    if (answer.rcode !== 'NOERROR' || first === undefined) {
      steps.push({
        step: 'dns',
        summary: `${target.host}: NXDOMAIN from ${answer.answeredBy ?? 'kube-dns'} (tried ${answer.tried.join(', ')})`,
      });
      return stopped({
        error: 'dns_failure',
        outcome: { action: 'dns_failure', text: `could not resolve host ${target.host}: no connection is made` },
      });
    }
    destination = first;
    steps.push({
      step: 'dns',
      summary: `${target.host} → ${answer.name ?? target.host} → ${answer.addresses.join(', ')} (${answer.answeredBy === 'istio-dns-proxy' ? "the Istio agent's DNS proxy" : (answer.answeredBy ?? 'kube-dns')})`,
    });
  } else if (mode === 'gateway') {
    const t = gatewayTargetPort(model, pod, target.port);
    destination = proxy.ip;
    port = t.port;
    steps.push({
      step: 'dns',
      summary:
        t.service !== undefined
          ? `the client reaches the gateway through Service ${t.service} port ${target.port} → pod ${proxy.ip}:${t.port}`
          : `the client connects to the gateway pod ${proxy.ip}:${t.port} (no Service of the pod has port ${target.port})`,
      ...(t.source !== undefined ? { decidedBy: [t.source] } : {}),
    });
  } else if (mode === 'inbound') {
    destination = call.address ?? proxy.ip;
  }

  const source = mode === 'outbound' ? proxy.ip : EXTERNAL_CLIENT_ADDRESS;
  let capturePort: number | undefined;
  if (mode !== 'gateway') {
    const cap =
      mode === 'outbound'
        ? outboundCapture(proxy.iptables, proxy.ip, appUid(pod), destination, port)
        : inboundCapture(proxy.iptables, proxy.ip, source, port);
    steps.push({ step: 'capture', summary: cap.text });
    if (cap.port === undefined) {
      return stopped({
        outcome: {
          action: 'not_captured',
          text: `not captured by iptables: the connection to ${destination}:${port} bypasses Envoy`,
        },
      });
    }
    capturePort = cap.port;
  }

  const connection: DownstreamConnection = {
    destinationAddress: destination,
    destinationPort: port,
    sourceAddress: source,
    sourcePort: 40000,
    transport: tls === 'plaintext' ? 'plaintext' : 'tls',
    plaintextProtocol: protocol === 'http' ? 'http/1.1' : protocol === 'http2' ? 'h2c' : 'other',
    ...(sni !== undefined ? { serverName: sni } : {}),
    applicationProtocols: alpn,
    clientCertificate: tls === 'mtls',
  };
  const request: HeaderMap | undefined =
    protocol === 'tcp'
      ? undefined
      : {
          ...headers,
          ':method': method,
          ':authority': authority,
          ':path': target.path,
          ':scheme': tls === 'plaintext' ? 'http' : 'https',
        };
  return {
    proxy,
    ...(pod !== undefined ? { pod } : {}),
    call: resolvedCall(),
    steps,
    input: {
      connection,
      ...(capturePort !== undefined ? { capturePort } : {}),
      protocol,
      tls,
      ...(request !== undefined ? { request } : {}),
    },
    servicePort: target.port,
  };
}
