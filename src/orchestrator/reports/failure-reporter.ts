import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';
import { type Frame, pickFrame, snippet } from './failure-details.ts';

/** The env variable naming where failures.json goes (set by the runner for each suite). */
export const FAILURES_FILE_ENV = 'PYNOMALY_IT_FAILURES_FILE';

/** One failed test as failures.json records it: what vitest's JSON reporter leaves out. */
export interface RecordedFailure {
  file: string;
  /** Describe blocks and title joined with ' > ' (as in TestOutcome.name). */
  name: string;
  /** Epoch ms when the test started, and how long it ran: the window of its service log lines. */
  startTime: number;
  durationMs: number;
  errors: {
    /** The error's class (AssertionError, TypeError). */
    type?: string;
    message: string;
    diff?: string;
    expected?: string;
    actual?: string;
    stack?: string;
    /** Parsed frames (vitest's own), for the source line. */
    frames?: { file: string; line: number; column: number }[];
  }[];
  /** The failing line and its neighbours as the file was when the test ran. */
  source?: { file: string; line: number; lines: { n: number; text: string }[] };
}

function sourceAt(frame: Frame | undefined): RecordedFailure['source'] {
  if (!frame) return undefined;
  try {
    const text = readFileSync(frame.file, 'utf8');
    return { file: relative(process.cwd(), frame.file), line: frame.line, lines: snippet(text, frame.line) };
  } catch {
    return undefined;
  }
}

/**
 * A vitest reporter writing every failed test's errors (message, expected/actual diff, frames)
 * and time window to the file in PYNOMALY_IT_FAILURES_FILE, for the HTML report's failure view.
 */
export default class FailureReporter implements Reporter {
  private readonly file = process.env[FAILURES_FILE_ENV];
  private readonly failures: RecordedFailure[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state !== 'failed') return;
    const diagnostic = testCase.diagnostic();
    const file = relative(process.cwd(), testCase.module.moduleId);
    const errors = result.errors ?? [];
    const frames = errors.flatMap((e) => e.stacks ?? []);
    const names: string[] = [];
    for (let p = testCase.parent; p.type === 'suite'; p = p.parent) names.unshift(p.name);
    this.failures.push({
      file,
      name: [...names, testCase.name].join(' > '),
      startTime: diagnostic?.startTime ?? Date.now(),
      durationMs: Math.round(diagnostic?.duration ?? 0),
      source: sourceAt(pickFrame(frames, testCase.module.moduleId)),
      errors: errors.map((e) => ({
        type: e.name,
        message: e.message,
        diff: e.diff,
        expected: e.expected,
        actual: e.actual,
        stack: e.stack,
        frames: e.stacks?.map((s) => ({ file: s.file, line: s.line, column: s.column })),
      })),
    });
  }

  onTestRunEnd(): void {
    if (!this.file) return;
    writeFileSync(this.file, `${JSON.stringify(this.failures, null, 2)}\n`);
  }
}
