/**
 * The Prometheus text exposition format (version 0.0.4,
 * https://prometheus.io/docs/instrumenting/exposition_formats/): label-value escaping for writers, and a
 * strict parser — every line must be a `# TYPE`/`# HELP`/comment line or a well-formed sample, a metric's
 * samples must form one group after its TYPE, histogram buckets must be cumulative and end in `+Inf`
 * equal to `_count`. The parser lets tests (and users' scenario checks) read meshsim's metrics back.
 */

/** One sample line. */
export interface PrometheusSample {
  /** Name as written, e.g. `istio_requests_total` or `istio_request_bytes_bucket`. */
  readonly name: string;
  /** Labels in the order written. */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

/** A metric family: its TYPE and samples. */
export interface PrometheusFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: readonly PrometheusSample[];
}

/** Escapes a label value: backslash, double quote and line feed (the only escapes the format defines). */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses exposition text strictly; throws `SyntaxError` naming the line on anything malformed. */
export function parsePrometheusText(text: string): PrometheusFamily[] {
  const families: { name: string; type: PrometheusFamily['type']; samples: PrometheusSample[] }[] = [];
  const seen = new Set<string>();
  let current: (typeof families)[number] | undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') throw new SyntaxError('exposition text must end with a line feed');
  lines.pop();
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# TYPE ([^ ]+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (m !== null) {
        const name = m[1] as string;
        if (!NAME.test(name)) throw new SyntaxError(`${where}: bad metric name ${JSON.stringify(name)}`);
        if (seen.has(name)) throw new SyntaxError(`${where}: a second TYPE for ${name}`);
        seen.add(name);
        current = { name, type: m[2] as PrometheusFamily['type'], samples: [] };
        families.push(current);
      } else if (line.startsWith('# TYPE') || (line.startsWith('# HELP') && !/^# HELP [^ ]+ /.test(line))) {
        throw new SyntaxError(`${where}: malformed ${line.slice(0, 6)} line`);
      }
      return;
    }
    const sample = parseSample(line, where);
    if (current === undefined || !belongs(sample.name, current)) {
      throw new SyntaxError(`${where}: sample ${sample.name} is not in the group of the preceding TYPE`);
    }
    current.samples.push(sample);
  });
  for (const f of families) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function belongs(sample: string, f: { name: string; type: PrometheusFamily['type'] }): boolean {
  if (f.type === 'histogram') return [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`].includes(sample);
  if (f.type === 'summary') return [f.name, `${f.name}_sum`, `${f.name}_count`].includes(sample);
  return sample === f.name;
}

function parseSample(line: string, where: string): PrometheusSample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)( -?\d+)?$/.exec(line);
  if (m === null) throw new SyntaxError(`${where}: not a sample line: ${JSON.stringify(line)}`);
  const labels: [string, string][] = [];
  const body = m[3];
  if (body !== undefined && body !== '') {
    let rest = body;
    for (;;) {
      const lm = /^([^=]+)="((?:[^"\\]|\\[\\"n])*)"/.exec(rest);
      if (lm === null) throw new SyntaxError(`${where}: malformed labels ${JSON.stringify(body)}`);
      const [, name, raw] = lm as unknown as [string, string, string];
      if (!LABEL_NAME.test(name)) throw new SyntaxError(`${where}: bad label name ${JSON.stringify(name)}`);
      if (labels.some(([n]) => n === name)) throw new SyntaxError(`${where}: label ${name} repeated`);
      labels.push([name, raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]);
      rest = rest.slice(lm[0].length);
      if (rest === '') break;
      if (!rest.startsWith(',')) throw new SyntaxError(`${where}: expected "," between labels`);
      rest = rest.slice(1);
    }
  }
  const raw = m[4] as string;
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
  if (!/^(\+Inf|-Inf|NaN|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)$/.test(raw)) {
    throw new SyntaxError(`${where}: bad sample value ${JSON.stringify(raw)}`);
  }
  return { name: m[1] as string, labels, value };
}

// Per series (labels without `le`): buckets ascend in `le`, counts never decrease, `+Inf` = `_count`.
function checkHistogram(f: { name: string; samples: PrometheusSample[] }): void {
  const series = new Map<string, { les: number[]; counts: number[]; count?: number; sum?: number }>();
  for (const s of f.samples) {
    const key = s.labels
      .filter(([n]) => n !== 'le')
      .map(([n, v]) => `${n}=${v}`)
      .join(',');
    let e = series.get(key);
    if (e === undefined) series.set(key, (e = { les: [], counts: [] }));
    if (s.name.endsWith('_bucket')) {
      const le = s.labels.find(([n]) => n === 'le');
      if (le === undefined) throw new SyntaxError(`${f.name}: a bucket without le`);
      e.les.push(le[1] === '+Inf' ? Infinity : Number(le[1]));
      e.counts.push(s.value);
    } else if (s.name.endsWith('_count')) e.count = s.value;
    else e.sum = s.value;
  }
  for (const [key, e] of series) {
    for (let i = 1; i < e.les.length; i++) {
      if (!((e.les[i] as number) > (e.les[i - 1] as number)))
        throw new SyntaxError(`${f.name}{${key}}: le bounds must ascend`);
      if ((e.counts[i] as number) < (e.counts[i - 1] as number))
        throw new SyntaxError(`${f.name}{${key}}: bucket counts must not decrease`);
    }
    if (e.les[e.les.length - 1] !== Infinity)
      throw new SyntaxError(`${f.name}{${key}}: the last bucket must be le="+Inf"`);
    if (e.count === undefined || e.sum === undefined)
      throw new SyntaxError(`${f.name}{${key}}: missing _sum or _count`);
    if (e.counts[e.counts.length - 1] !== e.count)
      throw new SyntaxError(`${f.name}{${key}}: le="+Inf" must equal _count`);
  }
}
