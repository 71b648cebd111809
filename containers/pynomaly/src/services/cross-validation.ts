import type { ClassificationMetrics } from '../algorithms/index.ts';
import { type AlgorithmName, type Matrix, trainModel } from '../algorithms/index.ts';
import {
  averagePrecision,
  classificationMetrics,
  matthewsCorrelation,
  rocAuc,
} from '../metrics/classification.ts';

/** Fold of each row: a seeded shuffle, stratified by label so every fold holds both classes when it can. */
export function foldAssignment(labels: readonly number[], folds: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const assignment = new Array<number>(labels.length).fill(0);
  for (const cls of [0, 1]) {
    const members = labels
      .map((l, i) => [l, i] as const)
      .filter(([l]) => (l === 1 ? 1 : 0) === cls)
      .map(([, i]) => i);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    members.forEach((row, k) => {
      assignment[row] = k % folds;
    });
  }
  return assignment;
}

export interface CrossValidation {
  /** ROC-AUC on each held-out fold. */
  scores: number[];
  /** Metrics averaged over the folds. */
  metrics: ClassificationMetrics;
  /** Average precision averaged over the folds (kept apart so metric maps keep their keys). */
  average_precision: number;
  /** Matthews correlation averaged over the folds (likewise kept apart). */
  matthews_corrcoef: number;
}

/** k-fold cross-validation: train on k-1 folds, score the held-out fold against its labels. */
export function crossValidate(
  algorithm: AlgorithmName,
  X: Matrix,
  labels: readonly number[],
  parameters: Record<string, unknown>,
  folds: number,
  seed: number,
): CrossValidation {
  const assignment = foldAssignment(labels, folds, seed);
  const perFold: ClassificationMetrics[] = [];
  const perFoldAp: number[] = [];
  const perFoldMcc: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const trainRows = X.filter((_, i) => assignment[i] !== fold);
    const testIdx = assignment.map((f, i) => (f === fold ? i : -1)).filter((i) => i >= 0);
    const model = trainModel(algorithm, trainRows, parameters, seed);
    const predictions = model.predict(testIdx.map((i) => X[i]));
    const testLabels = testIdx.map((i) => labels[i]);
    perFoldAp.push(
      averagePrecision(
        testLabels,
        predictions.map((p) => p.anomaly_score),
      ),
    );
    perFoldMcc.push(
      matthewsCorrelation(
        testLabels,
        predictions.map((p) => p.is_anomaly),
      ),
    );
    perFold.push(
      classificationMetrics(
        testLabels,
        predictions.map((p) => p.anomaly_score),
        predictions.map((p) => p.is_anomaly),
      ),
    );
  }
  const mean = (key: keyof ClassificationMetrics) => perFold.reduce((s, m) => s + m[key], 0) / perFold.length;
  return {
    average_precision: perFoldAp.reduce((s, v) => s + v, 0) / perFoldAp.length,
    matthews_corrcoef: perFoldMcc.reduce((s, v) => s + v, 0) / perFoldMcc.length,
    scores: perFold.map((m) => m.roc_auc),
    metrics: {
      accuracy: mean('accuracy'),
      precision: mean('precision'),
      recall: mean('recall'),
      f1_score: mean('f1_score'),
      roc_auc: mean('roc_auc'),
    },
  };
}

export { rocAuc };
