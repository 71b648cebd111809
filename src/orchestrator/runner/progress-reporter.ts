import { writeSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSpecification } from 'vitest/node';
import { guardAgainstOrphaning } from './orphan-guard.ts';
import { PROGRESS_FD_ENV, type ProgressEvent } from './progress-events.ts';

/**
 * A vitest reporter for the orchestrator's live view: vitest's JSON output only arrives at the
 * end, so this writes one JSON line per collected file and finished test to the fd in
 * PYNOMALY_IT_PROGRESS_FD (a pipe the orchestrator reads). Silent when the variable is unset.
 * It also ends the vitest process group if the orchestrator dies (kill -9).
 */
export default class ProgressReporter implements Reporter {
  private readonly fd = Number(process.env[PROGRESS_FD_ENV] ?? Number.NaN);

  constructor() {
    guardAgainstOrphaning();
  }

  private emit(event: ProgressEvent): void {
    if (!Number.isInteger(this.fd)) return;
    try {
      writeSync(this.fd, `${JSON.stringify(event)}\n`);
    } catch {
      // The orchestrator is gone (pipe closed): keep running, its group will be stopped anyway.
    }
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.emit({ type: 'run-start', files: specifications.length });
  }

  onTestModuleCollected(module: TestModule): void {
    this.emit({
      type: 'collected',
      file: relative(process.cwd(), module.moduleId),
      tests: [...module.children.allTests()].length,
    });
  }

  onTestCaseResult(testCase: TestCase): void {
    this.emit({
      type: 'test',
      file: relative(process.cwd(), testCase.module.moduleId),
      name: testCase.fullName,
      state: testCase.result().state,
    });
  }
}
