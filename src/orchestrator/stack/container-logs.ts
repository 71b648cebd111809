import type Dockerode from 'dockerode';

/** Splits the engine's multiplexed log format (8-byte frame headers) when the container has no TTY. */
export function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const kind = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    if (kind > 2 || raw[offset + 1] !== 0 || raw[offset + 2] !== 0 || raw[offset + 3] !== 0) {
      return raw.toString('utf8'); // not multiplexed (TTY container)
    }
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** A container's log (stdout and stderr) as text; `tail` limits it to the last lines. */
export async function containerLog(container: Dockerode.Container, tail?: number): Promise<string> {
  const raw = (await container.logs({
    stdout: true,
    stderr: true,
    follow: false,
    ...(tail === undefined ? {} : { tail }),
  })) as unknown as Buffer;
  return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
}

/** Keeps the last lines of a live log stream (testcontainers' log consumer) for failure messages. */
export class LogTail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly keep = 200) {}

  consume = (stream: NodeJS.ReadableStream): void => {
    stream.on('data', (chunk: Buffer | string) => {
      const parts = (this.partial + chunk.toString()).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    });
    stream.on('error', () => undefined);
  };

  text(lines = this.keep): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-lines).join('\n');
  }
}
