import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { JsonAssertionResult, JsonTestResult, JsonTestResults } from 'vitest/reporters';
import type { TestOutcome } from '../scheduler/types.ts';

/** What is read of vitest's JSON report (its own type; a report written by an older vitest may lack fields). */
export type VitestJson = Partial<Pick<JsonTestResults, 'success' | 'numFailedTests'>> & {
  testResults?: (Pick<JsonTestResult, 'name' | 'status'> &
    Partial<Pick<JsonTestResult, 'message'>> & {
      assertionResults?: (Pick<JsonAssertionResult, 'title' | 'status'> &
        Partial<
          Pick<JsonAssertionResult, 'ancestorTitles' | 'fullName' | 'duration' | 'failureMessages' | 'tags'>
        >)[];
    })[];
};

/** Vitest's JSON reporter output → outcomes; a file that failed to load becomes one failed outcome. */
export function outcomesFromVitestJson(json: VitestJson, root: string): TestOutcome[] {
  const outcomes: TestOutcome[] = [];
  for (const file of json.testResults ?? []) {
    const path = relative(root, file.name);
    const assertions = file.assertionResults ?? [];
    for (const a of assertions)
      outcomes.push({
        file: path,
        name: [...(a.ancestorTitles ?? []), a.title].join(' > '),
        status: a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped',
        durationMs: Math.round(a.duration ?? 0),
        failureMessages: a.failureMessages ?? [],
        ...(a.tags?.length ? { tags: a.tags } : {}),
      });
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed'))
      outcomes.push({
        file: path,
        name: '(file: set-up, hooks or collection)',
        status: 'failed',
        durationMs: 0,
        failureMessages: [file.message || 'the file failed outside any test'],
      });
  }
  return outcomes;
}

export async function readOutcomes(resultsFile: string, root: string): Promise<TestOutcome[] | undefined> {
  try {
    return outcomesFromVitestJson(JSON.parse(await readFile(resultsFile, 'utf8')) as VitestJson, root);
  } catch {
    return undefined;
  }
}
