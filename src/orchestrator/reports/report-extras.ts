import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { SuiteResult, TestOutcome } from '../scheduler/types.ts';
import { coverageByFolder, type FolderCoverage } from './coverage-folders.ts';
import { stripAnsi } from './escape.ts';
import {
  type FailureView,
  framesOf,
  messageOf,
  pickFrame,
  recordedFor,
  selectLogLines,
  snippet,
} from './failure-details.ts';
import type { RecordedFailure } from './failure-reporter.ts';
import type { RunRecord } from './model.ts';
import type { PerformanceFigures } from './perf-charts.ts';

/** What the HTML report shows beyond run.json, read from the suites' report folders. */
export interface ReportExtras {
  failures: FailureView[];
  performance: { jobId: string; figures: PerformanceFigures }[];
  coverageFolders?: FolderCoverage[];
}

export const NO_EXTRAS: ReportExtras = { failures: [], performance: [] };

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const readText = (path: string) => readFile(path, 'utf8').catch(() => '');

interface FileTimes {
  testResults?: { name: string; startTime?: number; endTime?: number }[];
}

/** Relative to the run folder (links in index.html), when inside it. */
function inRun(path: string, reportsDir: string): string {
  return path.startsWith(`${reportsDir}/`) ? path.slice(reportsDir.length + 1) : path;
}

async function failureView(
  r: SuiteResult,
  t: TestOutcome,
  ctx: { recorded: RecordedFailure[]; times: FileTimes; serviceLog: string; cwd: string; logLinks: string[] },
): Promise<FailureView> {
  const rec = recordedFor(ctx.recorded, t.file, t.name);
  const error = rec?.errors[0];
  const message = error
    ? stripAnsi(`${error.type ? `${error.type}: ` : ''}${error.message}`).trim()
    : messageOf(t.failureMessages[0] ?? '(no message recorded)');
  const frames =
    error?.frames?.map((f) => ({ file: f.file, line: f.line })) ?? framesOf(t.failureMessages.join('\n'));
  const frame = pickFrame(frames, t.file);
  let source: FailureView['source'] = rec?.source;
  if (!source && frame) {
    const path = isAbsolute(frame.file) ? frame.file : join(ctx.cwd, frame.file);
    const text = await readText(path);
    if (text)
      source = { file: inRun(path, `${ctx.cwd}`), line: frame.line, lines: snippet(text, frame.line) };
  }
  const fileTimes = ctx.times.testResults?.find((f) => f.name.endsWith(`/${t.file}`));
  const window = rec
    ? { start: rec.startTime, end: rec.startTime + rec.durationMs, how: 'the test ran' }
    : fileTimes?.startTime !== undefined
      ? { start: fileTimes.startTime, end: fileTimes.endTime ?? fileTimes.startTime, how: 'its file ran' }
      : undefined;
  const logLines = window ? selectLogLines(ctx.serviceLog, window, t.failureMessages.join('\n')) : [];
  return {
    jobId: r.job.id,
    file: t.file,
    name: t.name,
    message,
    ...(error?.diff ? { diff: stripAnsi(error.diff) } : {}),
    ...(source ? { source } : {}),
    logLines,
    ...(window
      ? {
          logWindow: `${new Date(window.start).toISOString().slice(11, 23)}–${new Date(window.end).toISOString().slice(11, 23)} UTC (while ${window.how}), and lines of request ids the message names`,
        }
      : {}),
    logFiles: ctx.logLinks,
  };
}

/** Reads failures.json, results.json, the service logs, performance.json and coverage-summary.json. */
export async function loadReportExtras(record: RunRecord): Promise<ReportExtras> {
  const cwd = typeof record.config.cwd === 'string' ? record.config.cwd : process.cwd();
  const failures: FailureView[] = [];
  const performance: ReportExtras['performance'] = [];
  for (const r of record.results) {
    const dir = join(record.reportsDir, r.dir);
    const logLinks = r.logFiles.map((f) => inRun(f, record.reportsDir));
    const failed = r.tests.filter((t) => t.status === 'failed');
    if (failed.length > 0) {
      const recorded = (await readJson<RecordedFailure[]>(join(dir, 'failures.json'))) ?? [];
      const times = (await readJson<FileTimes>(join(dir, 'results.json'))) ?? {};
      const logs = r.logFiles.filter((f) => basename(f).startsWith('pynomaly'));
      const serviceLog = (await Promise.all(logs.map((f) => readText(f)))).join('\n');
      for (const t of failed)
        failures.push(await failureView(r, t, { recorded, times, serviceLog, cwd, logLinks }));
    } else if (r.error && r.status !== 'not_run' && r.status !== 'passed')
      failures.push({
        jobId: r.job.id,
        file: '',
        name: `(suite ${r.status.replace('_', ' ')})`,
        message: r.error,
        logLines: r.serviceLogTail ? r.serviceLogTail.split('\n') : [],
        ...(r.serviceLogTail ? { logWindow: 'the last lines of the service log' } : {}),
        logFiles: logLinks,
      });
    if (r.job.suite.name === 'performance') {
      const figures = await readJson<PerformanceFigures>(join(dir, 'performance.json'));
      if (figures?.phases?.length) performance.push({ jobId: r.job.id, figures });
    }
  }
  const summary = record.serviceCoverage
    ? await readJson<Parameters<typeof coverageByFolder>[0]>(
        join(record.reportsDir, 'coverage', 'coverage-summary.json'),
      )
    : undefined;
  return { failures, performance, ...(summary ? { coverageFolders: coverageByFolder(summary) } : {}) };
}
