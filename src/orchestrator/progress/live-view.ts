import { renderTable } from './model.ts';
import type { Progress } from './reporter.ts';

/**
 * A table of suites redrawn in place on a terminal. Log lines are printed above it: the table
 * is erased, the line written, the table drawn again.
 */
export class LiveView {
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private progress: Progress | undefined;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  attach(progress: Progress): void {
    this.progress = progress;
    progress.onChange(() => this.redraw());
    this.timer = setInterval(() => this.redraw(), 1000);
    this.timer.unref();
    this.redraw();
  }

  /** For the logger: a line above the table. */
  print(text: string): void {
    this.erase();
    this.out.write(text.endsWith('\n') ? text : `${text}\n`);
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.redraw();
    this.progress = undefined;
    this.drawnLines = 0;
  }

  private redraw(): void {
    this.erase();
    this.draw();
  }

  private erase(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    if (!this.progress) return;
    const columns = this.out.columns || 120;
    const lines = renderTable([...this.progress.views.values()], Date.now()).map((l) =>
      l.slice(0, columns - 1),
    );
    this.out.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}
