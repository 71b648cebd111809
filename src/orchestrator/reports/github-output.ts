import { appendFile } from 'node:fs/promises';
import { githubAnnotations, githubStepSummary } from './github.ts';
import type { RunRecord } from './model.ts';

/** Annotations on stdout (GitHub reads workflow commands there) and the job summary appended. */
export async function reportToGithub(
  record: RunRecord,
  github: { stepSummary?: string },
  print: (text: string) => void,
): Promise<void> {
  const annotations = githubAnnotations(record);
  if (annotations.length > 0) print(annotations.join('\n'));
  if (!github.stepSummary) return;
  try {
    await appendFile(github.stepSummary, githubStepSummary(record));
  } catch (error) {
    process.stderr.write(
      `could not write the step summary ${github.stepSummary}: ${(error as Error).message}\n`,
    );
  }
}
