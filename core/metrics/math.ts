// Evaluation and drift maths shared by the evaluate and monitor steps: pure, dependency-free functions
// over plain or typed arrays, so every number a gate acts on can be reproduced by hand.

/** Probabilities are clipped to [PROB_CLIP, 1 − PROB_CLIP]: a confident miss costs ~16 nats, not Infinity. */
const PROB_CLIP = 1e-7;
/** Bin shares are floored here so an empty bin on one side gives a large but finite PSI term. */
const PSI_FLOOR = 1e-4;

/** Scores of a classifier on one evaluation set (class 1 for binary, macro averages for multiclass). */
export type ClassificationMetrics = Record<
  'accuracy' | 'precision' | 'recall' | 'f1' | 'auc' | 'logLoss' | 'count',
  number
>;
/** Scores of a regressor on one evaluation set. */
export type RegressionMetrics = Record<'rmse' | 'mae' | 'r2' | 'count', number>;

function assertSameLength(fn: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new RangeError(`${fn}: inputs differ in length (${a.length} vs ${b.length})`);
}

/** Division with 0/0 defined as 0, the convention for precision, recall and F1 of an unseen class. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function f1Score(precision: number, recall: number): number {
  return ratio(2 * precision * recall, precision + recall);
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

function sortedWithoutNaN(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
}

/** Quantile q ∈ [0, 1] of sorted values by linear interpolation between closest ranks (numpy's default). */
function interpolate(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return h === lo ? sorted[lo]! : sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The p-th percentile (p in 0..100), interpolated linearly like numpy.percentile; NaN values are ignored. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within [0, 100], got ${p}`);
  return interpolate(sortedWithoutNaN(values), p / 100);
}

/** ROC AUC via Mann–Whitney U with average ranks for ties; NaN when only one class is present. */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  assertSameLength('rocAuc', yTrue, scores);
  const n = yTrue.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`rocAuc: label at row ${i} must be 0 or 1, got ${y}`);
    // A NaN score would make the sort order, and so the AUC, depend on the engine's sort algorithm.
    if (Number.isNaN(scores[i]!)) throw new RangeError(`rocAuc: score at row ${i} is NaN`);
    positives += y;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    const score = scores[order[start]!]!;
    let end = start + 1;
    while (end < n && scores[order[end]!] === score) end++;
    // Tied scores share the mean of ranks start+1..end: each tied positive/negative pair is half a win.
    const averageRank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++) if (yTrue[order[j]!] === 1) positiveRankSum += averageRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/** Accuracy, precision, recall, F1, AUC and log loss from row-major n×k class probabilities. */
export function classificationMetrics(input: {
  yTrue: ArrayLike<number>;
  probs: ArrayLike<number>;
  numClasses: number;
}): ClassificationMetrics {
  const { yTrue, probs, numClasses: k } = input;
  const n = yTrue.length;
  if (!Number.isInteger(k) || k < 2)
    throw new RangeError(`classificationMetrics: numClasses must be an integer >= 2, got ${k}`);
  if (n === 0) throw new RangeError('classificationMetrics: no rows to evaluate');
  if (probs.length !== n * k)
    throw new RangeError(
      `classificationMetrics: probs has ${probs.length} values, expected ${n} rows × ${k} classes = ${n * k}`,
    );

  const truePos = new Float64Array(k);
  const falsePos = new Float64Array(k);
  const falseNeg = new Float64Array(k);
  let correct = 0;
  let logLossSum = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k)
      throw new RangeError(`classificationMetrics: label at row ${i} must be in [0, ${k}), got ${y}`);
    const row = i * k;
    // Strict '>' keeps the first of tied maxima, as numpy.argmax does.
    let predicted = 0;
    for (let c = 1; c < k; c++) if (probs[row + c]! > probs[row + predicted]!) predicted = c;
    if (predicted === y) {
      correct++;
      truePos[y]! += 1;
    } else {
      falsePos[predicted]! += 1;
      falseNeg[y]! += 1;
    }
    logLossSum -= Math.log(Math.min(Math.max(probs[row + y]!, PROB_CLIP), 1 - PROB_CLIP));
  }

  const oneVsRestAuc = (c: number): number => {
    const labels = new Uint8Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = yTrue[i] === c ? 1 : 0;
      scores[i] = probs[i * k + c]!;
    }
    return rocAuc(labels, scores);
  };
  const classScores = (c: number): { precision: number; recall: number; f1: number } => {
    const precision = ratio(truePos[c]!, truePos[c]! + falsePos[c]!);
    const recall = ratio(truePos[c]!, truePos[c]! + falseNeg[c]!);
    return { precision, recall, f1: f1Score(precision, recall) };
  };
  const common = { accuracy: correct / n, logLoss: logLossSum / n, count: n };
  if (k === 2) return { ...common, ...classScores(1), auc: oneVsRestAuc(1) };

  // Macro averages run over classes seen in yTrue or in the predictions (scikit-learn's default), so a class
  // that a small evaluation set happens to lack does not drag every score towards 0.
  const classes = Array.from({ length: k }, (_, c) => c);
  const seen = classes.filter((c) => truePos[c]! + falsePos[c]! + falseNeg[c]! > 0).map(classScores);
  // One-vs-rest AUC is NaN, and skipped, for a class absent from yTrue (or the only class in it).
  const aucs = classes.map(oneVsRestAuc).filter((auc) => !Number.isNaN(auc));
  return {
    ...common,
    precision: mean(seen.map((s) => s.precision)),
    recall: mean(seen.map((s) => s.recall)),
    f1: mean(seen.map((s) => s.f1)),
    auc: mean(aucs),
  };
}

/** RMSE, MAE and R² of predictions; R² is 0 when the target is constant. */
export function regressionMetrics(input: {
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
}): RegressionMetrics {
  const { yTrue, yPred } = input;
  assertSameLength('regressionMetrics', yTrue, yPred);
  const n = yTrue.length;
  if (n === 0) throw new RangeError('regressionMetrics: no rows to evaluate');
  const yMean = mean(yTrue);
  let ssRes = 0;
  let ssTot = 0;
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    const err = yTrue[i]! - yPred[i]!;
    const dev = yTrue[i]! - yMean;
    ssRes += err * err;
    ssTot += dev * dev;
    absSum += Math.abs(err);
  }
  // A constant target leaves no variance to explain; 0 rather than NaN/−Infinity keeps gates comparable.
  return { rmse: Math.sqrt(ssRes / n), mae: absSum / n, r2: ssTot === 0 ? 0 : 1 - ssRes / ssTot, count: n };
}

/** Interior bin edges at the reference's i/bins quantiles, ascending and deduplicated; NaN is ignored. */
export function quantileEdges(reference: ArrayLike<number>, bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`quantileEdges: bins must be a positive integer, got ${bins}`);
  const sorted = sortedWithoutNaN(reference);
  const edges: number[] = [];
  if (sorted.length === 0) return edges;
  for (let i = 1; i < bins; i++) {
    const edge = interpolate(sorted, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
}

/** Σ (c − r)·ln(c / r) over matching count vectors, shares floored at PSI_FLOOR; NaN if a side is empty. */
function psiFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const refTotal = sum(reference);
  const curTotal = sum(current);
  if (refTotal === 0 || curTotal === 0) return NaN;
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]! / refTotal, PSI_FLOOR);
    const c = Math.max(current[i]! / curTotal, PSI_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/** Counts per right-closed bin (e[i−1], e[i]] over the interior edges, skipping NaN. */
function binCounts(edges: readonly number[], values: ArrayLike<number>): Float64Array {
  // Right-closed because interpolated quantile edges often land exactly on a repeated reference value, and
  // that mass belongs below the edge, where the quantile that produced it counted it.
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]! += 1;
  }
  return counts;
}

/** Population stability index of current vs reference over given interior edges; NaN values are ignored. */
export function psiFromEdges(
  edges: readonly number[],
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): number {
  return psiFromCounts(binCounts(edges, reference), binCounts(edges, current));
}

/** Population stability index over quantile bins of the reference; NaN values are ignored. */
export function psiNumeric(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): number {
  return psiFromEdges(quantileEdges(reference, bins), reference, current);
}

/** Population stability index of category counts over the union of categories. */
export function psiCategorical(reference: Record<string, number>, current: Record<string, number>): number {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])];
  // Own keys only: a category named "constructor" must not read Object.prototype.constructor.
  const countsOf = (counts: Record<string, number>, side: string): number[] =>
    categories.map((category) => {
      const count = Object.hasOwn(counts, category) ? counts[category]! : 0;
      if (!(Number.isFinite(count) && count >= 0))
        throw new RangeError(
          `psiCategorical: ${side} count of "${category}" must be finite and >= 0, got ${count}`,
        );
      return count;
    });
  return psiFromCounts(countsOf(reference, 'reference'), countsOf(current, 'current'));
}
