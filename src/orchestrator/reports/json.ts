import type { RunRecord } from './model.ts';

/** run.json: the record as is (config, images, timings, results, repro). */
export function renderJson(record: RunRecord): string {
  return `${JSON.stringify(record, (key, value) => (key === 'suite' && value && typeof value === 'object' ? value.name : value), 2)}\n`;
}
