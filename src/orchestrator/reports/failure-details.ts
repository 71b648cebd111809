import { stripAnsi } from './escape.ts';
import type { RecordedFailure } from './failure-reporter.ts';

/** What the failure view shows for one failed test. */
export interface FailureView {
  jobId: string;
  file: string;
  name: string;
  message: string;
  /** Vitest's "- Expected / + Received" diff, when the assertion had expected/actual. */
  diff?: string;
  /** The failing line in the test source (or the first frame in src/suites), with neighbours. */
  source?: { file: string; line: number; lines: { n: number; text: string }[] };
  /** Service log lines of the test's time window (or naming a request id of the message). */
  logLines: string[];
  /** How the lines were chosen, shown above them. */
  logWindow?: string;
  /** Container logs of the suite, relative to the run folder. */
  logFiles: string[];
}

export interface Frame {
  file: string;
  line: number;
}

/** The assertion message: the error text without its stack frames. */
export function messageOf(failureMessage: string): string {
  const text = stripAnsi(failureMessage);
  const at = text.search(/\n\s+at /);
  return (at === -1 ? text : text.slice(0, at)).trim();
}

/** Frames of a stack text (`at fn (/abs/file.ts:12:3)` or `at /abs/file.ts:12:3`). */
export function framesOf(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const m of stripAnsi(stack).matchAll(/(?:file:\/\/)?(\/[^\s():]+):(\d+):\d+/g))
    frames.push({ file: m[1], line: Number(m[2]) });
  return frames;
}

/** The frame to show: in the test's own file, else the first in the suites' code, not node_modules. */
export function pickFrame(frames: readonly Frame[], testFile: string): Frame | undefined {
  const own = frames.find((f) => f.file.endsWith(`/${testFile}`) || f.file === testFile);
  return own ?? frames.find((f) => f.file.includes('/src/suites/') && !f.file.includes('node_modules'));
}

/** Lines `line-2 .. line+2` of a source text, numbered from 1. */
export function snippet(text: string, line: number, around = 2): { n: number; text: string }[] {
  const lines = text.split('\n');
  const from = Math.max(1, line - around);
  const to = Math.min(lines.length, line + around);
  const out: { n: number; text: string }[] = [];
  for (let n = from; n <= to; n += 1) out.push({ n, text: lines[n - 1] });
  return out;
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

interface PinoLine {
  time?: number;
  level?: number;
  msg?: string;
  request_id?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  err?: { message?: string };
}

/** One pino line made readable: time, level, request id, request/response, message. */
export function formatLogLine(line: PinoLine): string {
  const time = line.time !== undefined ? new Date(line.time).toISOString().slice(11, 23) : '--:--:--.---';
  const parts = [time, (LEVELS[line.level ?? 30] ?? String(line.level)).padEnd(5)];
  if (line.request_id) parts.push(line.request_id.slice(0, 8));
  if (line.req) parts.push(`${line.req.method ?? ''} ${line.req.url ?? ''}`);
  if (line.res?.statusCode !== undefined) parts.push(`→ ${line.res.statusCode}`);
  parts.push(line.msg ?? '');
  if (line.err?.message) parts.push(`(${line.err.message})`);
  return parts.join(' ');
}

/**
 * Service log lines that belong to a test: logged inside its time window (with a little slack
 * for the clock of the container), or carrying a request id its failure message names.
 */
export function selectLogLines(
  logText: string,
  window: { start: number; end: number },
  message: string,
  limit = 200,
): string[] {
  const ids = new Set(message.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? []);
  const slack = 250;
  const picked: string[] = [];
  for (const raw of logText.split('\n')) {
    if (!raw.startsWith('{')) continue;
    let line: PinoLine;
    try {
      line = JSON.parse(raw) as PinoLine;
    } catch {
      continue;
    }
    const inWindow =
      line.time !== undefined && line.time >= window.start - slack && line.time <= window.end + slack;
    if (inWindow || (line.request_id !== undefined && ids.has(line.request_id)))
      picked.push(formatLogLine(line));
  }
  return picked.length > limit
    ? [...picked.slice(0, limit), `… ${picked.length - limit} more lines`]
    : picked;
}

/** The recorded failure of a test (failures.json), matched by file and name. */
export function recordedFor(
  recorded: readonly RecordedFailure[],
  file: string,
  name: string,
): RecordedFailure | undefined {
  return recorded.find((r) => r.file === file && r.name === name);
}
