import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import { mergeApiCoverage } from '../reports/api-coverage.ts';
import { reportToGithub } from '../reports/github-output.ts';
import { mergeRecords, type ShardRecord } from '../reports/merge.ts';
import type { RunRecord } from '../reports/model.ts';
import { renderServiceCoverage } from '../reports/service-coverage.ts';
import { writeReports } from '../reports/write.ts';
import { commandOutput } from './output.ts';

async function readShard(dir: string): Promise<ShardRecord> {
  const file = join(dir, 'run.json');
  try {
    return { dir, record: JSON.parse(await readFile(file, 'utf8')) as RunRecord };
  } catch (error) {
    throw new UsageError(
      `cannot read ${file} (${(error as Error).message}): give the run folders of the shards`,
    );
  }
}

/**
 * `merge-reports <dir>...`: the run folders of shards (`run --shard i/n` on n machines) become
 * one run's reports: HTML, text, JUnit, JSON, API and service coverage over every shard. Exits
 * with the worst shard's code.
 */
export async function mergeReportsCommand(config: RunConfig): Promise<number> {
  const out = commandOutput(config);
  const shards = await Promise.all(config.mergeDirs.map(readShard));
  let merged: RunRecord;
  try {
    merged = mergeRecords(shards, config.reportsDir, config.runId);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const rawDirs = merged.results.flatMap((r) => (r.coverageDir ? [r.coverageDir] : []));
  const serviceCoverage =
    rawDirs.length > 0
      ? await renderServiceCoverage({
          rawDirs,
          outDir: join(config.reportsDir, 'coverage'),
          serviceRoot: join(config.cwd, 'containers/pynomaly'),
        })
          .then((r) => r?.summary)
          .catch((error: Error) => {
            out.logger.warn(`could not merge the service coverage: ${error.message}`);
            return undefined;
          })
      : undefined;
  const record: RunRecord = {
    ...merged,
    apiCoverage: mergeApiCoverage(merged.results.flatMap((r) => (r.apiCoverage ? [r.apiCoverage] : []))),
    serviceCoverage,
  };
  const written = await writeReports(record);
  out.print(`\n${written.summary}\nmerged ${shards.length} run folder(s) into ${config.reportsDir}`);
  if (config.github) await reportToGithub(record, config.github, out.print);
  return record.exitCode ?? 0;
}
