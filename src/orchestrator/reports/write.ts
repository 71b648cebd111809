import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import type { RunRecord } from './model.ts';
import { loadReportExtras, NO_EXTRAS } from './report-extras.ts';
import { reproScript } from './repro.ts';
import { renderTextSummary } from './text.ts';

export interface WrittenReports {
  summary: string;
  files: string[];
}

/** Writes every report; also used for partial reports on interrupt. Never throws for one bad writer. */
export async function writeReports(record: RunRecord, latestLinkDir?: string): Promise<WrittenReports> {
  await mkdir(record.reportsDir, { recursive: true });
  const summary = renderTextSummary(record);
  const extras = await loadReportExtras(record).catch((error: Error) => {
    process.stderr.write(`the HTML report lacks failure details and charts: ${error.message}\n`);
    return NO_EXTRAS;
  });
  // Rendered once for both names, inside the per-file try below (one bad writer never throws).
  let rendered: string | undefined;
  const html = () => (rendered ??= renderHtml(record, extras));
  const outputs: [string, () => string, number?][] = [
    ['summary.txt', () => summary],
    ['junit.xml', () => renderJunit(record)],
    ['index.html', html],
    // The names upstream's runner gives its reports, at the top of the run's folder.
    ['integration_test_summary.html', html],
    ['integration_test_summary.txt', () => summary],
    ['run.json', () => renderJson(record)],
    ['repro.sh', () => reproScript(record), 0o755],
  ];
  for (const r of record.results) {
    const own = await readFile(join(record.reportsDir, r.dir, 'junit.xml'), 'utf8').catch(() => undefined);
    outputs.push([
      `junit_${r.dir.replace(/[^A-Za-z0-9_.-]/g, '_')}.xml`,
      () => own ?? renderJunit({ ...record, results: [r] }),
    ]);
  }
  const files: string[] = [];
  for (const [name, render, mode] of outputs) {
    const path = join(record.reportsDir, name);
    try {
      await writeFile(path, render(), { mode });
      files.push(path);
    } catch (error) {
      process.stderr.write(`could not write ${path}: ${(error as Error).message}\n`);
    }
  }
  if (latestLinkDir) await pointLatest(latestLinkDir, record.reportsDir);
  return { summary, files };
}

/** test_reports/latest → this run, when the run folder is inside the reports root. */
async function pointLatest(root: string, reportsDir: string): Promise<void> {
  if (dirname(reportsDir) !== root) return;
  const link = join(root, 'latest');
  try {
    await rm(link, { force: true });
    await symlink(basename(reportsDir), link);
  } catch {
    // Best effort: a read-only root or a concurrent run replacing it.
  }
}
