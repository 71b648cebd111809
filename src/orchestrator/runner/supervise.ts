/** What supervise needs of a child: a way to signal it (its whole process group) and its end. */
export interface Killable {
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

export interface SupervisedExit {
  outcome: 'exited' | 'timed_out' | 'aborted';
  code: number | null;
}

/**
 * Waits for the child; past `timeoutMs`, or when `signal` aborts, sends SIGTERM and, if it is
 * still there `graceMs` later, SIGKILL. Always resolves once the child is gone.
 */
export async function supervise(
  child: Killable,
  options: { timeoutMs: number; graceMs: number; signal?: AbortSignal },
): Promise<SupervisedExit> {
  let outcome: SupervisedExit['outcome'] = 'exited';
  let escalation: NodeJS.Timeout | undefined;
  let exited = false;
  const stop = (why: SupervisedExit['outcome']) => {
    if (exited || outcome !== 'exited') return;
    outcome = why;
    child.kill('SIGTERM');
    escalation = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, options.graceMs);
  };
  const timer = setTimeout(() => stop('timed_out'), options.timeoutMs);
  const onAbort = () => stop('aborted');
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await child.exited;
    exited = true;
    return { outcome, code };
  } finally {
    clearTimeout(timer);
    if (escalation) clearTimeout(escalation);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
