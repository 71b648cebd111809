/**
 * Was a fault caught, and for the right reason? The suite must exit 1 and a failed test's name or
 * failure message must contain the fault's `expect` text (case-insensitive): a suite that goes red
 * because the fault broke something else did not catch it.
 */

export interface FailedTest {
  /** `<suite>/<file> > <describe> > <test>`. */
  test: string;
  /** First line of the first failure message. */
  message: string;
}

/** A failed test as the runner's run.json gives it. */
export interface FailedTestReport {
  file: string;
  name: string;
  failureMessages?: string[];
}

export type Verdict =
  /** exit 1 and a failure names `expect`. */
  | 'caught'
  /** exit 1 with failed tests, but the fault has no `expect` to prove the reason. */
  | 'unverified'
  /** exit 1, yet no failure names `expect`: red for another reason. */
  | 'wrong-reason'
  /** exit 0: the suite passed. */
  | 'missed'
  /** exit 2 (or another code, a timeout, no failed test found): the suite did not really run. */
  | 'setup-error'
  /** The planted copy does not compile (or the text to plant is gone): fix the fault. */
  | 'broken';

export interface Match {
  test: string;
  /** The line (of the test name or failure message) that holds `expect`. */
  line: string;
}

export interface Judgement {
  verdict: Verdict;
  /** caught, or unverified (red, reason not proven: a warning, not a failure). */
  caught: boolean;
  matched?: Match;
}

/** The test's name and failure messages, without stack frames (their paths must not match). */
function lines(report: FailedTestReport): string[] {
  const messages = (report.failureMessages ?? []).flatMap((m) => m.split('\n'));
  return [report.name, ...messages].map((l) => l.trim()).filter((l) => l !== '' && !/^at /.test(l));
}

export function displayName(report: FailedTestReport): string {
  return `${report.file.replace(/^src\/suites\//, '')} > ${report.name}`;
}

/** The first failed test whose name or failure message contains `expect`, case-insensitive. */
export function findExpected(failed: readonly FailedTestReport[], expect: string): Match | undefined {
  const wanted = expect.toLowerCase();
  for (const report of failed) {
    const line = lines(report).find((l) => l.toLowerCase().includes(wanted));
    if (line !== undefined) return { test: displayName(report), line: line.slice(0, 400) };
  }
  return undefined;
}

export function judge(
  exitCode: number | null,
  failed: readonly FailedTestReport[],
  expect?: string,
): Judgement {
  if (exitCode === 0) return { verdict: 'missed', caught: false };
  if (exitCode !== 1 || failed.length === 0) return { verdict: 'setup-error', caught: false };
  if (expect === undefined || expect.trim() === '') return { verdict: 'unverified', caught: true };
  const matched = findExpected(failed, expect);
  return matched ? { verdict: 'caught', caught: true, matched } : { verdict: 'wrong-reason', caught: false };
}
