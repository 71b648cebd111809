import type { ClassificationMetrics } from '../algorithms/types.ts';

/**
 * Metrics of anomaly predictions against labels. A label of exactly 1 is an anomaly (the
 * positive class); any other value is normal. Division by zero gives 0 (precision with no
 * row flagged, recall with no anomaly, F1 when both are 0), as scikit-learn's
 * zero_division=0 does.
 */
function assertSameLength(labels: readonly number[], other: readonly unknown[], name: string): void {
  if (labels.length !== other.length)
    throw new RangeError(`labels has ${labels.length} entries but ${name} has ${other.length}`);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Area under the ROC curve by the Mann-Whitney U statistic: (sum of the anomalies' ranks -
 * P(P+1)/2) / (P·N), where tied scores share their average rank (so a tie between an
 * anomaly and a normal row counts one half). With only one class present the area is
 * undefined; 0.5 (no better than chance) is returned instead of NaN.
 */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  assertSameLength(labels, scores, 'scores');
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new RangeError(`scores[${i}] is not a finite number`);
  });
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (labels[order[i]] === 1) positiveRankSum += averageRank;
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision: the precision at each distinct score threshold (highest first), weighted by
 * the recall it adds (tied scores form one threshold). With no anomalies it is 0.
 */
export function averagePrecision(labels: readonly number[], scores: readonly number[]): number {
  assertSameLength(labels, scores, 'scores');
  const positives = labels.filter((l) => l === 1).length;
  if (positives === 0) return 0;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let seen = 0;
  let truePositives = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    let added = 0;
    for (let i = start; i <= end; i++) if (labels[order[i]] === 1) added++;
    seen += end - start + 1;
    truePositives += added;
    sum += (truePositives / seen) * (added / positives);
    start = end + 1;
  }
  return sum;
}

/** Matthews correlation coefficient of 0/1 labels and flags (0 when a row or column of the table is empty). */
export function matthewsCorrelation(labels: readonly number[], predicted: readonly boolean[]): number {
  assertSameLength(labels, predicted, 'predicted');
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((label, i) => {
    if (predicted[i]) label === 1 ? tp++ : fp++;
    else label === 1 ? fn++ : tn++;
  });
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
}

export function classificationMetrics(
  labels: readonly number[],
  scores: readonly number[],
  predicted: readonly boolean[],
): ClassificationMetrics {
  assertSameLength(labels, predicted, 'predicted');
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let correct = 0;
  labels.forEach((label, i) => {
    const actual = label === 1;
    if (actual === predicted[i]) correct++;
    if (predicted[i] && actual) truePositives++;
    else if (predicted[i]) falsePositives++;
    else if (actual) falseNegatives++;
  });
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  return {
    accuracy: ratio(correct, labels.length),
    precision,
    recall,
    f1_score: ratio(2 * precision * recall, precision + recall),
    roc_auc: rocAuc(labels, scores),
  };
}
