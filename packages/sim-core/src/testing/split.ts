/**
 * Is an observed traffic split consistent with declared weights? An exact test at a stated `alpha`: each
 * category with a positive expected share gets the exact two-sided binomial acceptance region
 * ({@link binomialAcceptance}) at `alpha / m` for `m` such categories (Bonferroni; with two categories one
 * region decides, at `alpha`); a category expected at 0 % must see nothing. By the union bound a correct
 * split fails with probability at most `alpha` — {@link splitFalseFailureBound} computes that probability
 * exactly from the binomial distribution.
 */
import { binomialAcceptance, binomialRejectionProbability, type Interval } from './stats.js';

/** One category of a split test. */
export interface SplitCategory {
  readonly key: string;
  readonly observed: number;
  /** Expected share in [0, 1]. */
  readonly expected: number;
  /** Counts accepted for this category. */
  readonly acceptance: Interval;
  readonly ok: boolean;
}

/** The result of {@link splitTest}. */
export interface SplitVerdict {
  readonly pass: boolean;
  readonly n: number;
  readonly alpha: number;
  /** The level each category is tested at. */
  readonly alphaPerCategory: number;
  readonly categories: readonly SplitCategory[];
}

function normalise(weights: Readonly<Record<string, number>>): Map<string, number> {
  let total = 0;
  for (const [k, w] of Object.entries(weights)) {
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`weight of ${k} must be a number ≥ 0, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new RangeError('the expected weights must have a positive total');
  const out = new Map<string, number>();
  for (const k of Object.keys(weights).sort()) out.set(k, (weights[k] as number) / total);
  return out;
}

/** The per-category level: `alpha` for up to two positive categories, `alpha / m` beyond. */
export function splitCategoryAlpha(positiveCategories: number, alpha: number): number {
  return positiveCategories <= 2 ? alpha : alpha / positiveCategories;
}

/**
 * Tests `observed` counts against `expected` weights (any positive scale: `{v1: 90, v2: 10}`) at `alpha`.
 * Keys observed but not expected count as expected at 0 %.
 */
export function splitTest(
  observed: Readonly<Record<string, number>>,
  expected: Readonly<Record<string, number>>,
  alpha: number,
): SplitVerdict {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const shares = normalise(expected);
  for (const [k, v] of Object.entries(observed)) {
    if (!(Number.isInteger(v) && v >= 0))
      throw new RangeError(`observed count of ${k} must be a non-negative integer, got ${v}`);
    if (!shares.has(k)) shares.set(k, 0);
  }
  const n = Object.values(observed).reduce((a, b) => a + b, 0);
  const positive = [...shares.values()].filter((p) => p > 0).length;
  const a = splitCategoryAlpha(positive, alpha);
  const keys = [...shares.keys()].sort();
  const positiveKeys = keys.filter((k) => (shares.get(k) as number) > 0);
  // With two positive categories the counts determine each other: the first one's region decides, and the
  // second one's region is its mirror image (so the verdict is one exact test, not two).
  const mirror = positive === 2 ? binomialAcceptance(n, shares.get(positiveKeys[0] as string) as number, a) : undefined;
  const categories = keys.map((key): SplitCategory => {
    const p = shares.get(key) as number;
    const k = observed[key] ?? 0;
    const acceptance =
      mirror !== undefined && p > 0
        ? key === positiveKeys[0]
          ? mirror
          : { lower: n - mirror.upper, upper: n - mirror.lower }
        : binomialAcceptance(n, Math.min(1, p), a);
    return { key, observed: k, expected: p, acceptance, ok: k >= acceptance.lower && k <= acceptance.upper };
  });
  return { pass: categories.every((c) => c.ok), n, alpha, alphaPerCategory: a, categories };
}

/**
 * An exact upper bound on {@link splitTest}'s false-failure probability for `n` requests from a split that
 * really is `expected`: with two positive categories the exact rejection probability of the deciding
 * region; beyond, the sum of each category's exact rejection probability (union bound). Never above `alpha`.
 */
export function splitFalseFailureBound(n: number, expected: Readonly<Record<string, number>>, alpha: number): number {
  const shares = [...normalise(expected).values()].filter((p) => p > 0);
  const a = splitCategoryAlpha(shares.length, alpha);
  if (shares.length <= 1) return 0;
  if (shares.length === 2) {
    const p = shares[0] as number;
    return binomialRejectionProbability(n, p, binomialAcceptance(n, p, a));
  }
  return shares.reduce((sum, p) => sum + binomialRejectionProbability(n, p, binomialAcceptance(n, p, a)), 0);
}

/** One line per category: `v2: 104 of 1000 (expected 10 %, accepted 81–120)`. */
export function formatSplitVerdict(v: SplitVerdict): string {
  return v.categories
    .map(
      (c) =>
        `${c.ok ? ' ' : '✗'} ${c.key}: ${c.observed} of ${v.n} (${((100 * c.observed) / Math.max(1, v.n)).toFixed(1)} %; expected ${(100 * c.expected).toFixed(2).replace(/\.?0+$/, '')} %, accepted ${c.acceptance.lower}–${c.acceptance.upper} at alpha ${v.alphaPerCategory})`,
    )
    .join('\n');
}
