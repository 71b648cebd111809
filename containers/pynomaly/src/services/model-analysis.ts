/**
 * CPU-heavy analyses of trained models, pure functions of plain data (they run in the compute
 * pool): per-feature explanations, scoring several models on one labelled table, latency
 * benchmarks and a bounded contamination search.
 */
import {
  type AlgorithmName,
  type ClassificationMetrics,
  loadModel,
  type Matrix,
  type ModelDocument,
  trainModel,
} from '../algorithms/index.ts';
import { classificationMetrics } from '../metrics/classification.ts';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface ExplainInput {
  document: ModelDocument;
  features: string[];
  /** The training rows: their medians are the reference point. */
  training: Matrix;
  /** The points to explain (one for a local explanation, a sample for a global one). */
  points: Matrix;
}

export interface ExplainOutput {
  reference: Record<string, number>;
  reference_score: number;
  /** Per point: its score and each feature's contribution. */
  points: { anomaly_score: number; contributions: Record<string, number> }[];
  /** Mean absolute contribution per feature, normalised to sum 1. */
  feature_importance: Record<string, number>;
}

/**
 * Occlusion: a feature's contribution is how much the point's score falls when that feature
 * alone is set to its training median. A feature pushed out of range explains most of the score.
 */
export function explain(input: ExplainInput): ExplainOutput {
  const model = loadModel(input.document);
  const reference = input.features.map((_, j) => median(input.training.map((row) => row[j])));
  const [referenceScore] = model.scores([reference]);
  const totals = new Array<number>(input.features.length).fill(0);
  const points = input.points.map((point) => {
    const variants = input.features.map((_, j) => point.map((v, k) => (k === j ? reference[j] : v)));
    const [score, ...occluded] = model.scores([point, ...variants]);
    const contributions: Record<string, number> = {};
    input.features.forEach((name, j) => {
      contributions[name] = score - occluded[j];
      totals[j] += Math.abs(score - occluded[j]);
    });
    return { anomaly_score: score, contributions };
  });
  const sum = totals.reduce((s, v) => s + v, 0);
  const importance: Record<string, number> = {};
  input.features.forEach((name, j) => {
    importance[name] = sum > 0 ? totals[j] / sum : 1 / input.features.length;
  });
  return {
    reference: Object.fromEntries(input.features.map((name, j) => [name, reference[j]])),
    reference_score: referenceScore,
    points,
    feature_importance: importance,
  };
}

export interface EvaluateModelsInput {
  models: { document: ModelDocument; X: Matrix }[];
  labels: number[];
}

export interface ModelEvaluation {
  metrics: ClassificationMetrics;
  /** Scoring time of the whole table, milliseconds. */
  latency_ms: number;
  /** 1 where the model's flag matches the label (McNemar's test needs the pairs). */
  correct: number[];
}

export function evaluateModels(input: EvaluateModelsInput): ModelEvaluation[] {
  return input.models.map(({ document, X }) => {
    const model = loadModel(document);
    const started = performance.now();
    const predictions = model.predict(X);
    const latency = performance.now() - started;
    return {
      metrics: classificationMetrics(
        input.labels,
        predictions.map((p) => p.anomaly_score),
        predictions.map((p) => p.is_anomaly),
      ),
      latency_ms: latency,
      correct: predictions.map((p, i) => (Number(p.is_anomaly) === input.labels[i] ? 1 : 0)),
    };
  });
}

/** McNemar's test (with continuity correction) on two models' paired right/wrong answers. */
export function mcnemar(a: number[], b: number[]) {
  let onlyA = 0;
  let onlyB = 0;
  a.forEach((v, i) => {
    if (v === 1 && b[i] === 0) onlyA++;
    if (v === 0 && b[i] === 1) onlyB++;
  });
  const discordant = onlyA + onlyB;
  const statistic = discordant === 0 ? 0 : (Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
  // Chi-square with one degree of freedom: p = erfc(sqrt(x / 2)).
  const pValue = discordant === 0 ? 1 : erfc(Math.sqrt(Math.max(statistic, 0) / 2));
  return { statistic, p_value: pValue, baseline_only_correct: onlyA, candidate_only_correct: onlyB };
}

/** Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? y : 2 - y;
}

export interface BenchmarkInput {
  document: ModelDocument;
  /** Rows cycled through to fill each batch. */
  X: Matrix;
  scenarios: { name: string; batch_size: number; iterations: number }[];
}

export interface ScenarioResult {
  name: string;
  batch_size: number;
  iterations: number;
  mean_latency_ms: number;
  p50_latency_ms: number;
  p95_latency_ms: number;
  max_latency_ms: number;
  throughput_rows_per_second: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function benchmark(input: BenchmarkInput): ScenarioResult[] {
  const model = loadModel(input.document);
  return input.scenarios.map((scenario) => {
    const times: number[] = [];
    let offset = 0;
    for (let i = 0; i < scenario.iterations; i++) {
      const batch = Array.from(
        { length: scenario.batch_size },
        (_, k) => input.X[(offset + k) % input.X.length],
      );
      offset += scenario.batch_size;
      const started = performance.now();
      model.predict(batch);
      times.push(performance.now() - started);
    }
    const total = times.reduce((s, v) => s + v, 0);
    const sorted = [...times].sort((a, b) => a - b);
    return {
      name: scenario.name,
      batch_size: scenario.batch_size,
      iterations: scenario.iterations,
      mean_latency_ms: total / times.length,
      p50_latency_ms: quantile(sorted, 0.5),
      p95_latency_ms: quantile(sorted, 0.95),
      max_latency_ms: sorted[sorted.length - 1],
      throughput_rows_per_second: total > 0 ? (scenario.batch_size * scenario.iterations * 1000) / total : 0,
    };
  });
}

export interface OptimizeInput {
  algorithm: AlgorithmName;
  parameters: Record<string, unknown>;
  X: Matrix;
  labels: number[];
  seed: number;
  /** Contamination values to try (the search space). */
  contaminations: number[];
}

export interface OptimizeTrial {
  parameters: Record<string, unknown>;
  metrics: ClassificationMetrics;
}

/** Retrains the model's algorithm once per contamination value and measures each on the labels. */
export function optimize(input: OptimizeInput): OptimizeTrial[] {
  return input.contaminations.map((contamination) => {
    const parameters = { ...input.parameters, contamination };
    const model = trainModel(input.algorithm, input.X, parameters, input.seed);
    const predictions = model.predict(input.X);
    return {
      parameters: model.parameters,
      metrics: classificationMetrics(
        input.labels,
        predictions.map((p) => p.anomaly_score),
        predictions.map((p) => p.is_anomaly),
      ),
    };
  });
}
