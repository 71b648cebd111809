/** A container of a stack did not start; names it and carries its last log lines. */
export class StackStartError extends Error {
  override name = 'StackStartError';
  constructor(
    readonly role: string,
    readonly container: string,
    cause: string,
    readonly logTail: string,
  ) {
    super(
      `The ${role} container (${container}) did not start: ${cause}` +
        (logTail.trim() ? `\nLast lines of its log:\n${logTail}` : '\n(it logged nothing)'),
    );
  }
}
