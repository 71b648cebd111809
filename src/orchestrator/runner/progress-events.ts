/** One line of JSON per event, from the progress reporter (in vitest) to the orchestrator. */
export type ProgressEvent =
  | { type: 'run-start'; files: number }
  | { type: 'collected'; file: string; tests: number }
  | { type: 'test'; file: string; name: string; state: 'passed' | 'failed' | 'skipped' | 'pending' };

/** File descriptor in the vitest process that the orchestrator reads as a pipe. */
export const PROGRESS_FD_ENV = 'PYNOMALY_IT_PROGRESS_FD';

/** Splits a chunked stream into complete JSON lines; keeps the unfinished rest. */
export function parseProgressChunk(buffer: string): { events: ProgressEvent[]; rest: string } {
  const lines = buffer.split('\n');
  const rest = lines.pop() ?? '';
  const events: ProgressEvent[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as ProgressEvent);
    } catch {
      // A torn or foreign line: progress is best effort, results come from results.json.
    }
  }
  return { events, rest };
}
