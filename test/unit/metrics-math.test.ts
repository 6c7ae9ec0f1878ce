import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classificationMetrics,
  percentile,
  psiCategorical,
  psiFromEdges,
  psiNumeric,
  quantileEdges,
  regressionMetrics,
  rocAuc,
} from '../../core/metrics/math.js';

function assertClose(actual: number, expected: number, label: string, tolerance = 1e-9): void {
  // NaN fails this comparison, so a NaN result can never pass for a number.
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

test('rocAuc counts a tied positive/negative pair as half a win', () => {
  // Ranks of [0.2, 0.5, 0.5, 0.9] are 1, 2.5, 2.5, 4. Positives (rows 1 and 3) hold 2.5 + 4 = 6.5,
  // U = 6.5 − 2·3/2 = 3.5, AUC = 3.5 / (2·2) = 0.875. Ties as wins would give 1, as losses 0.75.
  assertClose(rocAuc([0, 1, 0, 1], [0.2, 0.5, 0.5, 0.9]), 0.875, 'auc');
});

test('rocAuc is 1 for a perfect ranking and 0 for an inverted one', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
});

test('rocAuc accepts typed arrays and ignores row order', () => {
  // The tie example shuffled; in float32, 0.9 and 0.2 are inexact but keep their order, and the two 0.5s
  // are exact and still tie.
  const auc = rocAuc(new Float32Array([1, 0, 1, 0]), new Float32Array([0.9, 0.5, 0.5, 0.2]));
  assertClose(auc, 0.875, 'auc');
});

test('rocAuc is NaN when only one class is present', () => {
  assert.ok(Number.isNaN(rocAuc([1, 1, 1], [0.1, 0.5, 0.9])));
  assert.ok(Number.isNaN(rocAuc([0, 0], [0.1, 0.5])));
});

test('rocAuc rejects labels other than 0 and 1 and NaN scores', () => {
  assert.throws(() => rocAuc([0, 2], [0.1, 0.2]), {
    name: 'RangeError',
    message: 'rocAuc: label at row 1 must be 0 or 1, got 2',
  });
  assert.throws(() => rocAuc([0, 1], [NaN, 0.2]), {
    name: 'RangeError',
    message: 'rocAuc: score at row 0 is NaN',
  });
});

// Six binary rows as (p0, p1), label, argmax prediction:
//   (0.2, 0.8)  y=1 pred 1 TP     (0.9, 0.1)  y=0 pred 0 TN
//   (0.6, 0.4)  y=1 pred 0 FN     (0.35,0.65) y=0 pred 1 FP
//   (0.3, 0.7)  y=1 pred 1 TP     (0.45,0.55) y=0 pred 1 FP
const binaryYTrue = [1, 1, 1, 0, 0, 0];
const binaryProbs = [0.2, 0.8, 0.6, 0.4, 0.3, 0.7, 0.9, 0.1, 0.35, 0.65, 0.45, 0.55];

test('binary metrics score class 1 from argmax predictions', () => {
  const m = classificationMetrics({ yTrue: binaryYTrue, probs: binaryProbs, numClasses: 2 });
  // TP=2, FP=2, FN=1, TN=1.
  assertClose(m.accuracy, 3 / 6, 'accuracy');
  assertClose(m.precision, 2 / 4, 'precision');
  assertClose(m.recall, 2 / 3, 'recall');
  // F1 = 2·(1/2)·(2/3) / (1/2 + 2/3) = (2/3) / (7/6) = 4/7.
  assertClose(m.f1, 4 / 7, 'f1');
  // p1 of positives [0.8, 0.4, 0.7] vs negatives [0.1, 0.65, 0.55]: 0.8 and 0.7 beat all three,
  // 0.4 beats only 0.1, so 7 of 9 pairs are ordered.
  assertClose(m.auc, 7 / 9, 'auc');
  // p_true = 0.8, 0.4, 0.7, 0.9, 0.35, 0.45; −ln of each: 0.22314, 0.91629, 0.35667, 0.10536, 1.04982,
  // 0.79851; sum 3.44980, mean 0.574967.
  assertClose(m.logLoss, 0.5749665939, 'logLoss', 1e-9);
  assert.equal(m.count, 6);
});

test('binary metrics accept Float32Array inputs', () => {
  const m = classificationMetrics({
    yTrue: new Float32Array(binaryYTrue),
    probs: new Float32Array(binaryProbs),
    numClasses: 2,
  });
  assertClose(m.precision, 0.5, 'precision');
  assertClose(m.recall, 2 / 3, 'recall');
  assertClose(m.auc, 7 / 9, 'auc');
  assertClose(m.logLoss, 0.5749665939, 'logLoss', 1e-6);
});

test('precision, recall and F1 are 0, not NaN, when class 1 is never predicted or present', () => {
  // All rows are class 0 and predicted 0: TP = FP = FN = 0 for class 1, so every ratio is 0/0 := 0.
  const m = classificationMetrics({ yTrue: [0, 0], probs: [0.9, 0.1, 0.8, 0.2], numClasses: 2 });
  assert.equal(m.accuracy, 1);
  assert.equal(m.precision, 0);
  assert.equal(m.recall, 0);
  assert.equal(m.f1, 0);
  assert.ok(Number.isNaN(m.auc));
});

test('a row whose probabilities tie predicts the lower class index, as numpy.argmax does', () => {
  // Row (0.5, 0.5) with y=1 is predicted 0: a miss, so accuracy 1/2 and recall of class 1 is 1/2.
  const m = classificationMetrics({ yTrue: [1, 1], probs: [0.5, 0.5, 0.2, 0.8], numClasses: 2 });
  assert.equal(m.accuracy, 0.5);
  assert.equal(m.recall, 0.5);
});

test('log loss clips probabilities to [1e-7, 1 − 1e-7]', () => {
  // Row 0 gives the true class p=1 → clipped to 1 − 1e-7, −ln = 1.00000005e-7.
  // Row 1 gives the true class p=0 → clipped to 1e-7, −ln = 7·ln 10 = 16.1180956510.
  // Mean = (16.1180956510 + 0.0000001000) / 2 = 8.0590478755.
  const m = classificationMetrics({ yTrue: [0, 0], probs: [1, 0, 0, 1], numClasses: 2 });
  assertClose(m.logLoss, 8.0590478755, 'logLoss', 1e-9);
});

// Three classes, rows as (p0, p1, p2), label → argmax prediction:
//   (0.7, 0.2, 0.1) 0→0   (0.5, 0.4, 0.1) 1→0   (0.1, 0.6, 0.3) 2→1
//   (0.6, 0.3, 0.1) 0→0   (0.2, 0.7, 0.1) 1→1   (0.2, 0.2, 0.6) 2→2
const multiYTrue = [0, 0, 1, 1, 2, 2];
const multiRows = [
  [0.7, 0.2, 0.1],
  [0.6, 0.3, 0.1],
  [0.5, 0.4, 0.1],
  [0.2, 0.7, 0.1],
  [0.1, 0.6, 0.3],
  [0.2, 0.2, 0.6],
];

test('multiclass metrics are macro averages over classes', () => {
  const m = classificationMetrics({ yTrue: multiYTrue, probs: multiRows.flat(), numClasses: 3 });
  assertClose(m.accuracy, 4 / 6, 'accuracy');
  // class 0: TP 2, FP 1, FN 0 → P 2/3, R 1,   F1 0.8
  // class 1: TP 1, FP 1, FN 1 → P 1/2, R 1/2, F1 1/2
  // class 2: TP 1, FP 0, FN 1 → P 1,   R 1/2, F1 2/3
  assertClose(m.precision, (2 / 3 + 1 / 2 + 1) / 3, 'precision'); // 13/18
  assertClose(m.recall, (1 + 1 / 2 + 1 / 2) / 3, 'recall'); // 2/3
  // Mean of per-class F1 (59/90 ≈ 0.6556), not the F1 of macro P and R (≈ 0.6933).
  assertClose(m.f1, (0.8 + 1 / 2 + 2 / 3) / 3, 'f1');
  // One-vs-rest: class 0 [0.7, 0.6] vs [0.5, 0.2, 0.1, 0.2] → 1; class 2 [0.3, 0.6] vs four 0.1s → 1;
  // class 1 [0.4, 0.7] vs [0.2, 0.3, 0.6, 0.2] → 0.4 loses only to 0.6, so 7/8. Mean = 2.875 / 3.
  assertClose(m.auc, 2.875 / 3, 'auc');
  // p_true = 0.7, 0.6, 0.4, 0.7, 0.3, 0.6; −ln: 0.35667, 0.51083, 0.91629, 0.35667, 1.20397, 0.51083;
  // sum 3.85527, mean 0.642554.
  assertClose(m.logLoss, 0.6425441119, 'logLoss', 1e-9);
  assert.equal(m.count, 6);
});

test('a class absent from labels and predictions is left out of every macro average', () => {
  // A fourth column of zeros changes no argmax; class 3 has no rows, so its AUC is skipped and its
  // 0/0 precision and recall do not pull the macro averages down to 3/4 of their value.
  const m = classificationMetrics({
    yTrue: multiYTrue,
    probs: multiRows.flatMap((row) => [...row, 0]),
    numClasses: 4,
  });
  assertClose(m.precision, 13 / 18, 'precision');
  assertClose(m.recall, 2 / 3, 'recall');
  assertClose(m.f1, 59 / 90, 'f1');
  assertClose(m.auc, 2.875 / 3, 'auc');
});

test('classificationMetrics rejects a probs array that does not match rows × classes', () => {
  assert.throws(() => classificationMetrics({ yTrue: [0, 1], probs: [0.5, 0.5, 0.5], numClasses: 2 }), {
    name: 'RangeError',
    message: 'classificationMetrics: probs has 3 values, expected 2 rows × 2 classes = 4',
  });
});

test('classificationMetrics rejects a label outside the class range', () => {
  assert.throws(() => classificationMetrics({ yTrue: [0, 3], probs: [1, 0, 0, 1, 0, 0], numClasses: 3 }), {
    name: 'RangeError',
    message: 'classificationMetrics: label at row 1 must be in [0, 3), got 3',
  });
});

test('regression metrics on four points match the hand computation', () => {
  // errors 0.5, 0, −1, 1 → squares 0.25, 0, 1, 1 (SSres 2.25), abs sum 2.5.
  // mean y = 2.5 → SStot = 2.25 + 0.25 + 0.25 + 2.25 = 5.
  const m = regressionMetrics({ yTrue: [1, 2, 3, 4], yPred: [0.5, 2, 4, 3] });
  assertClose(m.rmse, Math.sqrt(2.25 / 4), 'rmse'); // 0.75
  assertClose(m.mae, 2.5 / 4, 'mae'); // 0.625
  assertClose(m.r2, 1 - 2.25 / 5, 'r2'); // 0.55
  assert.equal(m.count, 4);
});

test('r2 is 0 when the target is constant', () => {
  // SStot = 0; errors 0, −1, 1 → RMSE √(2/3), MAE 2/3.
  const m = regressionMetrics({ yTrue: new Float32Array([3, 3, 3]), yPred: [3, 4, 2] });
  assert.equal(m.r2, 0);
  assertClose(m.rmse, Math.sqrt(2 / 3), 'rmse');
  assertClose(m.mae, 2 / 3, 'mae');
});

test('regressionMetrics rejects inputs of different lengths', () => {
  assert.throws(() => regressionMetrics({ yTrue: [1, 2], yPred: [1] }), {
    name: 'RangeError',
    message: 'regressionMetrics: inputs differ in length (2 vs 1)',
  });
});

test('quantileEdges returns interior quantiles, deduplicated, ignoring NaN', () => {
  // [1..5] at q = 0.25, 0.5, 0.75 → positions 1, 2, 3 → 2, 3, 4.
  assert.deepEqual(quantileEdges([5, NaN, 1, 4, 2, 3], 4), [2, 3, 4]);
  // [1, 1, 1, 1, 2] → positions 1, 2, 3 are all 1, kept once.
  assert.deepEqual(quantileEdges([1, 1, 1, 1, 2], 4), [1]);
  // [0, 10] halves at position 0.5 → 5.
  assert.deepEqual(quantileEdges(new Float32Array([10, 0]), 2), [5]);
  assert.deepEqual(quantileEdges([1, 2, 3], 1), []);
});

test('quantileEdges rejects a non-positive bin count', () => {
  assert.throws(() => quantileEdges([1, 2], 0), {
    name: 'RangeError',
    message: 'quantileEdges: bins must be a positive integer, got 0',
  });
});

test('psiNumeric of a distribution against itself is 0', () => {
  const values = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
  assert.equal(psiNumeric(values, values), 0);
});

test('psiNumeric on two quantile bins matches the hand computation', () => {
  // Reference [1, 2, 3, 4] → median edge 2.5, shares r = (0.5, 0.5).
  // Current [1, 1, 1, 4] → shares c = (0.75, 0.25).
  // PSI = (0.75 − 0.5)·ln(1.5) + (0.25 − 0.5)·ln(0.5) = 0.25·(ln 1.5 − ln 0.5) = 0.25·ln 3 = 0.2746531.
  assertClose(psiNumeric([1, 2, 3, 4], [1, 1, 1, 4], 2), 0.2746530722, 'psi');
});

test('psiNumeric ignores NaN values on both sides', () => {
  const withNaN = psiNumeric([1, NaN, 2, 3, 4], [NaN, 1, 1, 1, 4, NaN], 2);
  assertClose(withNaN, 0.2746530722, 'psi');
});

test('a value equal to an edge falls in the bin below it', () => {
  // Edge 2: reference [1, 2 | 3, 4] → (0.5, 0.5); current [2, 2, 2 | 3] → (0.75, 0.25) → 0.25·ln 3.
  // Left-closed bins would put the 2s above the edge: current (0, 1), floored, PSI ≈ 4.6.
  assertClose(psiFromEdges([2], [1, 2, 3, 4], [2, 2, 2, 3]), 0.2746530722, 'psi');
});

test('psiCategorical of a two-category shift matches the hand computation', () => {
  // r = (60/100, 40/100) = (0.6, 0.4); c = (30/100, 70/100) = (0.3, 0.7).
  // PSI = (0.3 − 0.6)·ln(0.3/0.6) + (0.7 − 0.4)·ln(0.7/0.4)
  //     = 0.3·ln 2 + 0.3·ln 1.75 = 0.3·ln 3.5 = 0.3·1.2527630 = 0.3758289.
  assertClose(psiCategorical({ a: 60, b: 40 }, { a: 30, b: 70 }), 0.3758288905, 'psi');
  assert.equal(psiCategorical({ a: 60, b: 40 }, { b: 4, a: 6 }), 0);
});

test('psiCategorical floors the share of a category missing on one side at 1e-4', () => {
  // r = (1, 0 → 1e-4); c = (0.5, 0.5).
  // PSI = (0.5 − 1)·ln 0.5 + (0.5 − 1e-4)·ln(0.5 / 1e-4) = 0.3465736 + 0.4999·8.5171932 = 4.6043185.
  assertClose(psiCategorical({ a: 100 }, { a: 50, b: 50 }), 4.6043184667, 'psi');
});

test('psiCategorical reads only own keys, so a category named "constructor" counts as 0 where absent', () => {
  // Same arithmetic as the floor case, with "constructor" in place of "b".
  assertClose(psiCategorical({ a: 100 }, { a: 50, constructor: 50 }), 4.6043184667, 'psi');
});

test('psiCategorical rejects a negative count', () => {
  assert.throws(() => psiCategorical({ a: 1 }, { a: -1 }), {
    name: 'RangeError',
    message: 'psiCategorical: current count of "a" must be finite and >= 0, got -1',
  });
});

test('percentile interpolates linearly like numpy.percentile', () => {
  // From the numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) → 3.5 and
  // np.percentile(a, 50, axis=0) → [6.5, 4.5, 2.5].
  assert.equal(percentile([10, 7, 4, 3, 2, 1], 50), 3.5);
  assert.equal(percentile([10, 3], 50), 6.5);
  assert.equal(percentile([7, 2], 50), 4.5);
  assert.equal(percentile([4, 1], 50), 2.5);
  // np.percentile([1, 2, 3, 4], 40): position 3·0.4 = 1.2 → 2 + 0.2·(3 − 2) = 2.2.
  assertClose(percentile(new Float32Array([4, 1, 3, 2]), 40), 2.2, 'p40');
  assert.equal(percentile([5, 1, 9], 0), 1);
  assert.equal(percentile([5, 1, 9], 100), 9);
});

test('percentile ignores NaN, is NaN for no values and rejects p outside 0..100', () => {
  assert.equal(percentile([NaN, 10, 3], 50), 6.5);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile([1], 101), {
    name: 'RangeError',
    message: 'percentile: p must be within [0, 100], got 101',
  });
});
