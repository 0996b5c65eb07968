/**
 * A sampled request's flow chart from a real run: the static path sim-core explains for it — the client
 * pod's iptables rules, its sidecar's listener, filter chain, route configuration, virtual host, route and
 * cluster, each with the manifest field (file:line) that decided it, and the server pod's capture and
 * inbound listener — joined to what the world recorded for that very request (its `x-request-id`): the
 * fault filter's delay or abort, every try of the router with the host the load balancer picked, the
 * server's answer, retries and their back-off, the network and application times, and the status and
 * flags the client got.
 */
import {
  buildProxyConfig,
  route,
  type MeshModel,
  type MeshProxy,
  type RouteCall,
  type RouteExplanation,
  type TrafficSpec,
  type World,
} from '@meshsim/sim-core';
import {
  detailNumber as num,
  detailString as str,
  requestFlowFromExplanation,
  type Detail,
  type ObservedAttempt,
  type ObservedFault,
  type ParsedRecord,
  type RequestFlow,
  type SampleRequest,
} from '../model/index.js';
import type { ManifestRef } from '../model/sourceRef.js';
import { clientTraversal, serverTraversal, withVmCapture } from './capture.js';

/** What {@link flowFromSample} needs besides the sample. */
export interface FlowContext {
  readonly world: World;
  /** The model in force when the request ran. */
  readonly model: MeshModel;
  /** The run's traffic generators (their request templates give the headers the routes matched on). */
  readonly traffic: readonly TrafficSpec[];
  /** Shortens file paths (e.g. relative to the scenario's folder). @defaultValue identity */
  readonly file?: (path: string) => string;
}

const hostIp = (hostPort: string): string => hostPort.slice(0, hostPort.lastIndexOf(':'));
const hostPortOf = (hostPort: string): number => Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));

/**
 * The headers of the request templates a traffic generator of this client may have sent this request
 * with (same source, authority, path and method), in the generators' order.
 */
function templatesFor(ctx: FlowContext, proxyKey: string, decode: Detail): Readonly<Record<string, string>>[] {
  const authority = str(decode, 'authority');
  const path = str(decode, 'path');
  const method = str(decode, 'method') ?? 'GET';
  const i = ctx.world.instance(proxyKey);
  const out: Readonly<Record<string, string>>[] = [];
  for (const t of ctx.traffic) {
    const s = t.source;
    const from =
      s.kind === 'pod'
        ? `${s.namespace}/${s.pod}` === proxyKey
        : s.kind === 'vm'
          ? `${s.namespace}/${s.name}` === proxyKey
          : s.kind === 'gateway'
            ? i?.isGateway === true && i.namespace === s.namespace
            : false;
    if (!from) continue;
    for (const m of t.mix) {
      const u = /^[a-z]+:\/\/([^/?#]*)([^#]*)/i.exec(m.url);
      if (u === null) continue;
      if ((u[1] ?? '') === authority && ((u[2] ?? '') === '' ? '/' : u[2]) === path && (m.method ?? 'GET') === method) {
        out.push(m.headers ?? {});
      }
    }
  }
  return out;
}

/** The cluster's load-balancing policy in the proxy's configuration, as Envoy names it. */
function lbPolicyOf(model: MeshModel, proxy: MeshProxy, cluster: string): string | undefined {
  try {
    const c = buildProxyConfig(model, proxy).clusters.find((x) => x.name === cluster);
    return c === undefined ? undefined : (c.lbPolicy ?? 'ROUND_ROBIN');
  } catch {
    return undefined;
  }
}

/** The fault's manifest field (`spec.http[i].fault.delay` / `.abort`) of the route's VirtualService. */
function faultRef(
  model: MeshModel,
  e: RouteExplanation,
  which: 'delay' | 'abort',
  file: (p: string) => string,
): ManifestRef[] {
  const vs = e.route?.virtualService;
  const i = e.route?.httpRouteIndex;
  if (vs === undefined || i === undefined) return [];
  const o = model.istio.virtualServices.find(
    (v) => v.metadata.name === vs.name && (v.metadata.namespace ?? 'default') === vs.namespace,
  );
  if (o === undefined) return [];
  return [
    {
      file: file(o.source.file),
      line: o.source.lineOf(['spec', 'http', i, 'fault', which]),
      kind: 'VirtualService',
      object: `${vs.namespace}/${vs.name}`,
      field: `spec.http[${i}].fault.${which}`,
    },
  ];
}

/** Re-points an explanation's manifest references with `file` (display paths). */
function withFiles<T>(value: T, file: (p: string) => string): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withFiles(v, file)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = k === 'file' && typeof v === 'string' ? file(v) : withFiles(v, file);
  }
  return out as T;
}

const vmModels = new WeakMap<MeshModel, MeshModel>();

/**
 * The flow chart of a sampled request. Undefined when the sample's client is not a sidecar or gateway of
 * the model (nothing to explain), or its first record is missing.
 */
export function flowFromSample(sample: SampleRequest, context: FlowContext): RequestFlow | undefined {
  const file = context.file ?? ((p: string) => p);
  let model = vmModels.get(context.model);
  if (model === undefined) vmModels.set(context.model, (model = withVmCapture(context.model)));
  const ctx: FlowContext = { ...context, model };
  const recs = sample.records;
  const client = sample.proxy;
  const decode = recs.find((r) => r.kind === 'hcm.decode' && str(r.detail, 'proxy') === client);
  const instance = ctx.world.instance(client);
  const proxy = model.proxies.find((p) => p.namespace === instance?.namespace && p.name === instance.meshProxy?.name);
  if (decode === undefined || instance === undefined || proxy === undefined) return undefined;
  const d = decode.detail;
  const authority = str(d, 'authority') ?? '';
  const callWith = (headers: Readonly<Record<string, string>>): RouteCall => ({
    ...(instance.isGateway
      ? { gateway: `${instance.name}.${instance.namespace}` }
      : { from: `${instance.name}.${instance.namespace}` }),
    url: `http://${authority}${str(d, 'path') ?? '/'}`,
    method: str(d, 'method') ?? 'GET',
    headers,
  });
  // The template whose explanation takes the route the Envoy took (its headers decided the match).
  const candidates = templatesFor(ctx, client, d);
  let headers: Readonly<Record<string, string>> = candidates[0] ?? {};
  let explained = route(ctx.model, callWith(headers));
  for (const h of candidates.slice(1)) {
    if (explained.route?.index === num(d, 'routeIndex') && explained.virtualHost === str(d, 'virtualHost')) break;
    const e = route(ctx.model, callWith(h));
    if (e.route?.index === num(d, 'routeIndex') && e.virtualHost === str(d, 'virtualHost')) {
      headers = h;
      explained = e;
    }
  }
  const call = callWith(headers);
  const explanation = withFiles(explained, file);
  // The client's own records: those of its inbound streams for the same request (a workload calling
  // itself through its sidecar) nest inside the outbound stream and are left out.
  const own = new Set<ParsedRecord>();
  let nested = 0;
  for (const r of recs) {
    if (str(r.detail, 'proxy') !== client) continue;
    if (r.kind === 'hcm.decode' && str(r.detail, 'listener') === 'virtualInbound') nested++;
    else if (nested > 0) {
      if (r.kind === 'hcm.complete') nested--;
    } else own.add(r);
  }
  const mine = (r: ParsedRecord, kind: string): boolean => r.kind === kind && own.has(r);
  const attemptsAt = recs.filter((r) => mine(r, 'router.attempt'));
  const complete = recs.find((r) => mine(r, 'hcm.complete'));
  const finalStatus = complete !== undefined ? (num(complete.detail, 'status') ?? 0) : 0;
  const finalFlags = complete !== undefined ? (str(complete.detail, 'flags') ?? '-') : '-';
  const delay = recs.find((r) => mine(r, 'fault.delay'));
  const abort = recs.find((r) => mine(r, 'fault.abort'));
  const fault: ObservedFault | undefined =
    delay === undefined && abort === undefined
      ? undefined
      : {
          ...(delay !== undefined ? { delay: (num(delay.detail, 'delayMs') ?? 0) * 1000 } : {}),
          ...(abort !== undefined ? { abort: num(abort.detail, 'status') ?? 0 } : {}),
          decidedBy: [
            ...(delay !== undefined ? faultRef(ctx.model, explanation, 'delay', file) : []),
            ...(abort !== undefined ? faultRef(ctx.model, explanation, 'abort', file) : []),
          ],
        };
  const attempts: ObservedAttempt[] = attemptsAt.map((a, k) => {
    const next = attemptsAt[k + 1]?.time ?? Infinity;
    const during = recs.filter(
      (r) => r.time >= a.time && (r.time < next || (r.time === next && r.kind !== 'router.attempt')),
    );
    const host = str(a.detail, 'host') ?? '';
    const cluster = str(a.detail, 'cluster');
    const server = ctx.world.instanceByIp(hostIp(host));
    const serverKey = server?.key;
    const toServer = during.find(
      (r) => r.kind === 'net.request' && str(r.detail, 'from') === client && str(r.detail, 'to') === serverKey,
    );
    const appLeg = during.find(
      (r) =>
        r.kind === 'net.request' &&
        serverKey !== undefined &&
        str(r.detail, 'from') === serverKey &&
        str(r.detail, 'to') === serverKey,
    );
    const appAnswer = during.find(
      (r) =>
        r.kind === 'net.response' &&
        serverKey !== undefined &&
        str(r.detail, 'from') === serverKey &&
        str(r.detail, 'to') === serverKey,
    );
    const serverDone = during.find(
      (r) =>
        r.kind === 'hcm.complete' && serverKey !== undefined && str(r.detail, 'proxy') === serverKey && !own.has(r),
    );
    const reset = during.find((r) => mine(r, 'router.reset'));
    const perTry = during.find((r) => mine(r, 'router.per_try_timeout'));
    const retry = k < attemptsAt.length - 1 ? during.find((r) => mine(r, 'router.retry')) : undefined;
    const last = k === attemptsAt.length - 1;
    const status =
      serverDone !== undefined
        ? (num(serverDone.detail, 'status') ?? 0)
        : last && reset === undefined && perTry === undefined
          ? finalStatus
          : 0;
    const flags =
      perTry !== undefined
        ? 'UT'
        : reset !== undefined
          ? resetFlag(str(reset.detail, 'reason'))
          : last
            ? finalFlags
            : '-';
    const port = hostPortOf(host);
    const serverProxy = model.proxies.find(
      (p) => server !== undefined && p.namespace === server.namespace && p.name === server.meshProxy?.name,
    );
    const appStart = appLeg !== undefined ? appLeg.time + (num(appLeg.detail, 'networkUs') ?? 0) : undefined;
    const sentAt = appAnswer !== undefined ? num(appAnswer.detail, 'sentAt') : undefined;
    const inbound =
      serverProxy !== undefined && serverProxy.type === 'sidecar' && serverDone !== undefined
        ? withFiles(
            route(ctx.model, {
              to: `${serverProxy.name}.${serverProxy.namespace}`,
              inbound: true,
              address: serverProxy.ip,
              port,
              path: str(d, 'path') ?? '/',
              method: str(d, 'method') ?? 'GET',
              headers: { ...headers, host: authority },
              tls: proxy.type === 'sidecar' || proxy.type === 'router' ? 'mtls' : 'plaintext',
            }),
            file,
          )
        : undefined;
    const capture =
      serverProxy !== undefined && serverDone !== undefined ? serverTraversal(serverProxy, proxy.ip, port) : undefined;
    const policy = cluster !== undefined ? lbPolicyOf(ctx.model, proxy, cluster) : undefined;
    return {
      host,
      ...(cluster !== undefined ? { cluster } : {}),
      ...(serverKey !== undefined ? { pod: serverKey } : {}),
      ...(policy !== undefined ? { lbPolicy: policy } : {}),
      status,
      responseFlags: flags,
      ...(capture !== undefined ? { serverCapture: capture } : {}),
      ...(inbound !== undefined ? { inbound } : {}),
      ...(toServer !== undefined ? { networkLatency: num(toServer.detail, 'networkUs') ?? 0 } : {}),
      ...(appStart !== undefined && sentAt !== undefined && sentAt >= appStart
        ? { serviceTime: sentAt - appStart }
        : {}),
      ...(retry !== undefined
        ? {
            retry: {
              reason: str(retry.detail, 'reason') ?? 'retry',
              backoff: (num(retry.detail, 'backoffMs') ?? 0) * 1000,
            },
          }
        : {}),
    };
  });
  // Client-observed latency: from the app's send (its leg to its own sidecar) to the response reaching it.
  const first = recs[0];
  const sent =
    first !== undefined && first.kind === 'net.request' && str(first.detail, 'requestId') === undefined
      ? first.time
      : undefined;
  const back = [...recs]
    .reverse()
    .find((r) => r.kind === 'net.response' && str(r.detail, 'from') === client && str(r.detail, 'to') === client);
  const received =
    back !== undefined ? (num(back.detail, 'sentAt') ?? back.time) + (num(back.detail, 'networkUs') ?? 0) : undefined;
  const uid = instance.appUid;
  const capture =
    proxy.type === 'sidecar'
      ? clientTraversal(proxy, uid, explanation.call.destinationAddress, explanation.call.destinationPort)
      : undefined;
  return requestFlowFromExplanation({
    title: `${call.method} ${call.url} from ${instance.namespace}/${instance.workload}${sample.reason !== 'first' ? ` (${sample.reason})` : ''}`,
    client: `${instance.namespace}/${instance.workload}`,
    explanation,
    ...(capture !== undefined ? { clientCapture: capture } : {}),
    ...(fault !== undefined ? { fault } : {}),
    attempts,
    outcome: {
      status: finalStatus,
      responseFlags: finalFlags,
      ...(sent !== undefined && received !== undefined && received >= sent ? { duration: received - sent } : {}),
    },
  });
}

/**
 * A router reset reason (sim-core's `resetReasonToString` text) as the response flag Envoy sets for it
 * (envoyproxy/envoy source/common/router/router.cc `Filter::streamResetReasonToResponseFlag`).
 */
function resetFlag(reason: string | undefined): string {
  switch (reason) {
    case 'local connection failure':
    case 'remote connection failure':
    case 'connection timeout':
      return 'UF';
    case 'connection termination':
      return 'UC';
    case 'local reset':
      return 'LR';
    case 'overflow':
      return 'UO';
    case 'protocol error':
      return 'UPE';
    default:
      return 'UR';
  }
}
