import type { AlgorithmResultRow } from '../db/repositories/experiments.ts';

export type ExportFormat = 'json' | 'csv' | 'research_report';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  research_report: 'text/markdown',
};

export interface ExportInput {
  experiment: Record<string, unknown> & { id: string; name: string };
  rankingMetric: string;
  bestAlgorithm: string | null;
  /** Each result, with its model's summary when models are included (null: the model is gone). */
  results: (AlgorithmResultRow & { model?: Record<string, unknown> | null })[];
  exportedAt: string;
}

const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The export's text in the asked format: a JSON document, one CSV row per algorithm, or a Markdown report. */
export function renderExport(format: ExportFormat, input: ExportInput): string {
  if (format === 'json')
    return JSON.stringify({
      format_version: 1,
      exported_at: input.exportedAt,
      experiment: input.experiment,
      ranking_metric: input.rankingMetric,
      best_algorithm: input.bestAlgorithm,
      algorithm_results: input.results,
    });
  const metrics = [...new Set(input.results.flatMap((r) => Object.keys(r.metrics)))].sort();
  if (format === 'csv') {
    const header = ['algorithm_name', 'model_id', ...metrics, 'training_time'];
    const rows = input.results.map((r) =>
      [r.algorithm_name, r.model_id, ...metrics.map((m) => r.metrics[m]), r.training_time]
        .map(csvCell)
        .join(','),
    );
    return `${[header.join(','), ...rows].join('\n')}\n`;
  }
  const lines = [
    `# Experiment ${input.experiment.name}`,
    '',
    `- id: ${input.experiment.id}`,
    `- ranking metric: ${input.rankingMetric}`,
    `- best algorithm: ${input.bestAlgorithm ?? 'none'}`,
    `- exported at: ${input.exportedAt}`,
    '',
    `| algorithm | ${metrics.join(' | ')} |`,
    `| --- | ${metrics.map(() => '---').join(' | ')} |`,
    ...input.results.map(
      (r) => `| ${r.algorithm_name} | ${metrics.map((m) => r.metrics[m]?.toFixed(4) ?? '').join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
