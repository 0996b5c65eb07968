/**
 * Labels and label selectors with Kubernetes' semantics (`k8s.io/apimachinery/pkg/labels`,
 * `metav1.LabelSelectorAsSelector`): `matchLabels` are ANDed equality requirements; `matchExpressions` use
 * `In`, `NotIn` (true when the key is absent), `Exists` and `DoesNotExist`; an empty selector selects
 * everything; a missing one selects nothing (callers decide which applies).
 */

/** A label (or annotation) map. */
export type Labels = Readonly<Record<string, string>>;

/** One `matchExpressions` requirement. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** `metav1.LabelSelector`. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** True when every `key: value` of `selector` is in `labels` (Istio's `labels.Instance.SubsetOf`). */
export function labelsMatch(selector: Labels | undefined, labels: Labels | undefined): boolean {
  if (selector === undefined) return true;
  for (const key of Object.keys(selector)) {
    if (labels?.[key] !== selector[key]) return false;
  }
  return true;
}

/** True when `labels` satisfy `selector` (`LabelSelectorAsSelector(selector).Matches(labels)`). */
export function selectorMatches(selector: LabelSelector, labels: Labels | undefined): boolean {
  if (!labelsMatch(selector.matchLabels ?? {}, labels)) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels[req.key] : undefined;
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * The selector in `labels.Selector.String()` form for a plain map — `app=nginx,version=v1`, keys sorted —
 * as istioctl prints it in IST0101/IST0162 messages.
 */
export function formatLabels(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Reads a `string → string` map from untyped JSON, dropping non-string values. */
export function readLabels(value: unknown): Labels {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** Reads a `metav1.LabelSelector` from untyped JSON. */
export function readLabelSelector(value: unknown): LabelSelector | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const exprs = Array.isArray(v['matchExpressions'])
    ? v['matchExpressions'].flatMap((e): LabelSelectorRequirement[] => {
        if (typeof e !== 'object' || e === null) return [];
        const r = e as Record<string, unknown>;
        const op = r['operator'];
        if (typeof r['key'] !== 'string' || (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist'))
          return [];
        const values = Array.isArray(r['values'])
          ? r['values'].filter((x): x is string => typeof x === 'string')
          : undefined;
        return [{ key: r['key'], operator: op, ...(values ? { values } : {}) }];
      })
    : undefined;
  return {
    ...(v['matchLabels'] !== undefined ? { matchLabels: readLabels(v['matchLabels']) } : {}),
    ...(exprs ? { matchExpressions: exprs } : {}),
  };
}
