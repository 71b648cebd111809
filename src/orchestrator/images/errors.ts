/** An image could not be built (or staged, or bootstrapped). A setup error: exit code 2. */
export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
    // The message carries the build's last lines and the fix; a stack trace adds nothing.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** An image the user named explicitly is neither present nor pullable. Also a setup error (exit 2). */
export class ImageUnavailableError extends ImageBuildError {
  override name = 'ImageUnavailableError';
}

export function lastLines(text: string, count = 20): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
