import { type AlgorithmName, resolveParameters } from '../algorithms/index.ts';
import { seededRandom } from '../algorithms/random.ts';
import type { AppContext } from '../context.ts';
import { type AutomlJobRow, jobStatus, updateJob } from '../db/repositories/automl.ts';
import { insertModel } from '../db/repositories/models.ts';
import { yieldToEventLoop } from './background-jobs.ts';
import { featureMatrix, labelsOf, numericColumns } from './features.ts';
import { fitModel, loadDataset } from './training.ts';

/** Candidate values per tunable parameter; contamination is set from the data instead. */
export const SEARCH_SPACE: Record<string, Record<string, readonly unknown[]>> = {
  isolation_forest: { n_estimators: [50, 100, 200], max_samples: [64, 128, 256, 512] },
  local_outlier_factor: { n_neighbors: [5, 10, 20, 35, 50] },
  hbos: { n_bins: [5, 10, 15, 20, 30], alpha: [0.01, 0.1, 0.5] },
  elliptic_envelope: { support_fraction: [0.5, 0.6, 0.75, 0.9] },
  ensemble: {
    algorithms: [
      ['isolation_forest', 'local_outlier_factor', 'zscore'],
      ['isolation_forest', 'hbos', 'ecod'],
      ['zscore', 'hbos', 'ecod'],
      ['isolation_forest', 'ecod'],
    ],
  },
  zscore: {},
  ecod: {},
  one_class_svm: { nu: [0.01, 0.05, 0.1, 0.2, 0.5], gamma: ['scale', 'auto', 0.01, 0.1, 1] },
  time_series_anomaly: { window_size: [3, 5, 9, 15] },
};

/** The metrics a trial can be optimised for (with labels: 3-fold cross-validated means). */
export const OPTIMIZATION_METRICS = [
  'roc_auc',
  'f1_score',
  'precision',
  'recall',
  'average_precision',
] as const;
export type OptimizationMetric = (typeof OPTIMIZATION_METRICS)[number];

/**
 * Feature importance of a model: |Pearson correlation| of each feature with the model's anomaly
 * score on the rows, normalised to sum 1 (all equal when no feature varies with the score).
 */
export function featureImportance(
  features: readonly string[],
  X: readonly number[][],
  scores: readonly number[],
): Record<string, number> {
  const n = scores.length;
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / (v.length || 1);
  const sm = mean(scores);
  const raw = features.map((_, j) => {
    const col = X.map((row) => row[j]);
    const cm = mean(col);
    let cov = 0;
    let vc = 0;
    let vs = 0;
    for (let i = 0; i < n; i++) {
      cov += (col[i] - cm) * (scores[i] - sm);
      vc += (col[i] - cm) ** 2;
      vs += (scores[i] - sm) ** 2;
    }
    return vc > 0 && vs > 0 ? Math.abs(cov / Math.sqrt(vc * vs)) : 0;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  return Object.fromEntries(features.map((f, j) => [f, total > 0 ? raw[j] / total : 1 / features.length]));
}

export interface Trial {
  trial: number;
  algorithm: string;
  parameters: Record<string, unknown>;
  /** The job's optimization metric for this trial. */
  score: number;
  /** Every optimisable metric of the trial (empty without labels). */
  metrics: Partial<Record<OptimizationMetric, number>>;
  cross_validation_scores: number[];
  training_time: number;
}

/**
 * Random search: trial k uses algorithm k mod n for the first n trials (every algorithm is
 * tried once), then a random one; parameters are drawn from SEARCH_SPACE, never repeating a
 * configuration when an untried one is left.
 */
export function planTrials(
  algorithms: readonly string[],
  maxTrials: number,
  seed: number,
  contamination: number,
) {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const plan: { algorithm: string; parameters: Record<string, unknown> }[] = [];
  for (let k = 0; k < maxTrials; k++) {
    const algorithm =
      k < algorithms.length ? algorithms[k] : algorithms[Math.floor(random() * algorithms.length)];
    const space = SEARCH_SPACE[algorithm] ?? {};
    let parameters: Record<string, unknown> = { contamination };
    for (let attempt = 0; attempt < 10; attempt++) {
      parameters = { contamination };
      // The first trial of an algorithm uses its defaults: a good baseline.
      if (k >= algorithms.length)
        for (const [name, values] of Object.entries(space))
          parameters[name] = values[Math.floor(random() * values.length)];
      const key = JSON.stringify([algorithm, parameters]);
      if (!seen.has(key)) {
        seen.add(key);
        break;
      }
    }
    plan.push({ algorithm, parameters });
  }
  return plan;
}

/**
 * Runs an AutoML job to its end: trials scored by the 3-fold cross-validated optimization metric when the
 * dataset has labels (else by the train-set separation of flagged and unflagged scores),
 * stopping at max_trials or max_duration_minutes; the best configuration is retrained on
 * all rows and stored as a model. Progress is written to PostgreSQL after every trial.
 */
export async function runAutoml(ctx: AppContext, job: AutomlJobRow): Promise<void> {
  const config = job.configuration;
  const deadline = Date.now() + config.max_duration_minutes * 60_000;
  const caller = { id: job.owner_id, username: '', role: 'analyst' as const };
  // Cancelled while it waited for its turn: nothing to do.
  if ((await jobStatus(ctx.db, job.id)) === 'cancelled') return;
  await updateJob(ctx.db, job.id, { status: 'running', progress_percentage: 0, current_trial: 0 });
  try {
    if (!job.dataset_id) throw new Error('the dataset of the job was deleted');
    const data = await loadDataset(ctx, caller, job.dataset_id);
    const features = numericColumns(data.dataset.columns, data.rows, data.label);
    const X = featureMatrix(data.dataset.columns, data.rows, features);
    const labels = data.label ? labelsOf(data.dataset.columns, data.rows, data.label) : null;
    const rate = labels
      ? labels.filter((l) => l === 1).length / labels.length
      : ctx.config.defaultContaminationRate;
    const contamination = Math.min(0.5, Math.max(0.01, Number(rate.toFixed(4))));
    const plan = planTrials(config.algorithms, config.max_trials, ctx.config.randomSeed, contamination);
    const trials: Trial[] = [];
    let best: Trial | null = null;
    for (const [k, candidate] of plan.entries()) {
      if (Date.now() > deadline && trials.length > 0) break;
      // POST …/cancel marks the job; it stops here, keeping the trials it has run.
      if ((await jobStatus(ctx.db, job.id)) === 'cancelled') return;
      await yieldToEventLoop();
      const resolved = resolveParameters(candidate.algorithm, candidate.parameters, { contamination });
      if (!resolved.ok) continue;
      const started = performance.now();
      let score: number;
      let metrics: Trial['metrics'] = {};
      let foldScores: number[] = [];
      if (labels) {
        const cv = await ctx.compute.run('crossValidate', {
          algorithm: resolved.algorithm,
          X,
          labels,
          parameters: resolved.parameters,
          folds: config.cv_folds,
          seed: ctx.config.randomSeed,
        });
        foldScores = cv.scores;
        metrics = {
          roc_auc: cv.metrics.roc_auc,
          f1_score: cv.metrics.f1_score,
          precision: cv.metrics.precision,
          recall: cv.metrics.recall,
          average_precision: cv.average_precision,
        };
        score = metrics[config.optimization_metric as OptimizationMetric] ?? cv.metrics.roc_auc;
      } else {
        score = await ctx.compute.run('separation', {
          algorithm: resolved.algorithm,
          X,
          parameters: resolved.parameters,
          seed: ctx.config.randomSeed,
        });
      }
      const trial: Trial = {
        trial: k + 1,
        algorithm: resolved.algorithm,
        parameters: resolved.parameters,
        score,
        metrics,
        cross_validation_scores: foldScores,
        training_time: (performance.now() - started) / 1000,
      };
      trials.push(trial);
      if (best === null || trial.score > best.score) best = trial;
      await updateJob(ctx.db, job.id, {
        current_trial: trials.length,
        progress_percentage: Math.min(99, Math.round((trials.length / config.max_trials) * 10_000) / 100),
        best_score: best.score,
        results: { trial_results: trials },
      });
    }
    if (!best) throw new Error('no trial could run');
    const { document } = await fitModel(ctx, {
      algorithm: best.algorithm as AlgorithmName,
      X,
      parameters: best.parameters,
      seed: ctx.config.randomSeed,
      labels: null,
    });
    const stored = await insertModel(ctx.db, {
      ownerId: job.owner_id,
      detectorId: null,
      version: 1,
      algorithm: best.algorithm,
      parameters: best.parameters,
      metrics: { [config.optimization_metric]: best.score, cv_roc_auc: best.metrics.roc_auc ?? best.score },
      featureColumns: features,
      document,
      trainingTime: best.training_time,
    });
    const predictions = await ctx.compute.run('predict', { document, X });
    const importance = featureImportance(
      features,
      X,
      predictions.map((p) => p.anomaly_score),
    );
    const comparison = config.algorithms.map((algorithm) => {
      const own = trials.filter((t) => t.algorithm === algorithm);
      return {
        algorithm,
        trials: own.length,
        best_score: own.length ? Math.max(...own.map((t) => t.score)) : null,
        mean_score: own.length ? own.reduce((s, t) => s + t.score, 0) / own.length : null,
      };
    });
    await updateJob(ctx.db, job.id, {
      status: 'completed',
      progress_percentage: 100,
      current_trial: trials.length,
      best_score: best.score,
      results: {
        best_model: {
          model_id: stored.id,
          algorithm: best.algorithm,
          parameters: best.parameters,
          score: best.score,
          trial: best.trial,
        },
        trial_results: trials,
        model_comparison: comparison,
        feature_importance: importance,
        scoring: labels
          ? `${config.cv_folds}-fold cross-validated ${config.optimization_metric}`
          : 'score separation (no labels)',
        search_strategy: 'random',
      },
    });
  } catch (error) {
    await updateJob(ctx.db, job.id, { status: 'failed', error: (error as Error).message ?? 'failed' }).catch(
      () => undefined,
    );
    throw error;
  }
}
