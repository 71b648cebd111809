import type { AlgorithmName } from '../algorithms/index.ts';
import type { AppContext, Caller } from '../context.ts';
import { inTransaction } from '../db/pool.ts';
import {
  type AlgorithmResultRow,
  addExperimentEvent,
  type ExperimentRow,
  experimentStatus,
  replaceResults,
  setExperimentStatus,
} from '../db/repositories/experiments.ts';
import { insertModel } from '../db/repositories/models.ts';
import { yieldToEventLoop } from './background-jobs.ts';
import { featureMatrix, labelsOf, numericColumns } from './features.ts';
import { fitModel, loadDataset } from './training.ts';

/** Metrics computed only under cross-validation, added to a result when the experiment asks for them. */
const CV_ONLY_METRICS = ['average_precision', 'matthews_corrcoef'] as const;

/** The metric an experiment ranks by: the first of its evaluation metrics we compute, else roc_auc. */
export function rankingMetric(experiment: ExperimentRow): string {
  const cv: readonly string[] = experiment.configuration.cross_validation?.enabled ? CV_ONLY_METRICS : [];
  const known = ['roc_auc', 'f1_score', 'accuracy', 'precision', 'recall', ...cv];
  return experiment.configuration.evaluation_metrics.find((m) => known.includes(m)) ?? 'roc_auc';
}

/** The best result by `metric` (ties: the earlier algorithm). */
export function bestOf(results: readonly AlgorithmResultRow[], metric: string): AlgorithmResultRow | null {
  let best: AlgorithmResultRow | null = null;
  for (const r of results)
    if (best === null || (r.metrics[metric] ?? -1) > (best.metrics[metric] ?? -1)) best = r;
  return best;
}

/** One lane per owner: one user's experiments never queue another user's. */
export function enqueueExperiment(ctx: AppContext, caller: Caller, experiment: ExperimentRow): void {
  ctx.jobs.enqueue(`experiments:${experiment.owner_id}`, `experiment ${experiment.id}`, () =>
    runExperiment(ctx, caller, experiment),
  );
}

/**
 * Runs every algorithm of an experiment on its dataset: k-fold cross-validation when enabled
 * and labels exist (metrics are the fold means, ROC-AUC per fold kept), then a model trained
 * on all rows. Results are written as each algorithm finishes.
 */
export async function runExperiment(
  ctx: AppContext,
  caller: Caller,
  experiment: ExperimentRow,
): Promise<void> {
  await addExperimentEvent(ctx.db, experiment.id, 'experiment_started');
  try {
    if (!experiment.dataset_id) throw new Error('the dataset of the experiment was deleted');
    const data = await loadDataset(ctx, caller, experiment.dataset_id);
    const features = numericColumns(data.dataset.columns, data.rows, data.label);
    const X = featureMatrix(data.dataset.columns, data.rows, features);
    const labels = data.label ? labelsOf(data.dataset.columns, data.rows, data.label) : null;
    const { cross_validation: cv } = experiment.configuration;
    const results: AlgorithmResultRow[] = [];
    for (const algorithm of experiment.configuration.algorithms) {
      // POST …/cancel marks the experiment; it stops here, keeping the results it has.
      if ((await experimentStatus(ctx.db, experiment.id)) === 'cancelled') {
        await addExperimentEvent(ctx.db, experiment.id, 'experiment_cancelled');
        return;
      }
      await yieldToEventLoop();
      const started = performance.now();
      const cross =
        labels && cv.enabled && cv.folds >= 2
          ? await ctx.compute.run('crossValidate', {
              algorithm: algorithm.name as AlgorithmName,
              X,
              labels,
              parameters: algorithm.parameters,
              folds: cv.folds,
              seed: ctx.config.randomSeed,
            })
          : null;
      const trained = await fitModel(ctx, {
        algorithm: algorithm.name as AlgorithmName,
        X,
        parameters: algorithm.parameters,
        seed: ctx.config.randomSeed,
        labels: cross ? null : labels,
      });
      const trainingTime = (performance.now() - started) / 1000;
      const metrics: Record<string, number> = cross
        ? { ...cross.metrics }
        : trained.metrics
          ? { ...trained.metrics }
          : {};
      // Asked-for extras only, so the answers of other experiments keep their exact keys.
      if (cross)
        for (const m of CV_ONLY_METRICS)
          if (experiment.configuration.evaluation_metrics.includes(m)) metrics[m] = cross[m];
      const stored = await insertModel(ctx.db, {
        ownerId: caller.id,
        detectorId: null,
        version: 1,
        algorithm: algorithm.name,
        parameters: algorithm.parameters,
        metrics,
        featureColumns: features,
        document: trained.document,
        trainingTime,
      });
      results.push({
        algorithm_name: algorithm.name,
        parameters: algorithm.parameters,
        metrics,
        cross_validation_scores: cross?.scores ?? [],
        model_id: stored.id,
        training_time: trainingTime,
      });
      await inTransaction(ctx.db, async (client) => {
        await replaceResults(client, experiment.id, results);
        await addExperimentEvent(client, experiment.id, 'algorithm_completed', {
          algorithm: algorithm.name,
          metrics,
        });
      });
    }
    const best = bestOf(results, rankingMetric(experiment));
    await inTransaction(ctx.db, async (client) => {
      await setExperimentStatus(client, experiment.id, 'completed', {
        bestAlgorithm: best?.algorithm_name ?? null,
      });
      await addExperimentEvent(client, experiment.id, 'experiment_completed', {
        best_algorithm: best?.algorithm_name ?? null,
      });
    });
  } catch (error) {
    const message = (error as Error).message ?? 'failed';
    await setExperimentStatus(ctx.db, experiment.id, 'failed', { error: message }).catch(() => undefined);
    await addExperimentEvent(ctx.db, experiment.id, 'experiment_failed', { error: message }).catch(
      () => undefined,
    );
    throw error;
  }
}
