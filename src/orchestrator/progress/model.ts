import type { SuiteStatus } from '../scheduler/types.ts';

/** What the live view shows of one job. */
export interface JobView {
  id: string;
  status: SuiteStatus;
  testsDone: number;
  testsFailed: number;
  /** Tests collected so far (files are collected as they start). */
  testsTotal: number;
  files: number;
  startedAt?: number;
  endedAt?: number;
  note?: string;
}

export function newJobView(id: string): JobView {
  return { id, status: 'queued', testsDone: 0, testsFailed: 0, testsTotal: 0, files: 0 };
}

const LABEL: Record<SuiteStatus, string> = {
  queued: 'queued',
  starting: 'starting stack',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  timed_out: 'timed out',
  error: 'error',
  interrupted: 'interrupted',
  not_run: 'not run',
};

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function statusText(view: JobView): string {
  if (view.status === 'running') {
    const failed = view.testsFailed > 0 ? `, ${view.testsFailed} failed` : '';
    return `running ${view.testsDone}/${view.testsTotal || '?'} tests${failed}`;
  }
  if (view.status === 'passed' || view.status === 'failed')
    return `${LABEL[view.status]} (${view.testsDone - view.testsFailed}/${view.testsDone} passed)`;
  return LABEL[view.status];
}

/** The table, one line per job, plain text (the terminal view adds cursor movement only). */
export function renderTable(views: readonly JobView[], now: number): string[] {
  const width = Math.max(5, ...views.map((v) => v.id.length));
  return views.map((v) => {
    const elapsed = v.startedAt ? formatDuration((v.endedAt ?? now) - v.startedAt) : '';
    return `${v.id.padEnd(width)}  ${statusText(v).padEnd(34)} ${elapsed.padStart(6)}${v.note ? `  ${v.note}` : ''}`;
  });
}
