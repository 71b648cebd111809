import { LABEL } from '../stack/labels.ts';

/** What cleanup knows of one resource of a run. */
export interface LabelledResource {
  kind: 'container' | 'network' | 'volume';
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Containers only: is it running? */
  running?: boolean;
}

export interface LivenessContext {
  hostname: string;
  isProcessAlive(pid: number): boolean;
}

export type RunVerdict = 'alive' | 'gone' | 'foreign';

/**
 * Is a run over? Alive while its reaper runs, or while its runner's pid (on this host) lives.
 * Resources without a pid label were not made by pynomaly-it's runner (hand-made dev stacks):
 * 'foreign', never touched.
 */
export function runVerdict(resources: readonly LabelledResource[], ctx: LivenessContext): RunVerdict {
  if (resources.some((r) => r.kind === 'container' && r.labels[LABEL.role] === 'reaper' && r.running))
    return 'alive';
  const owners = resources.filter((r) => r.labels[LABEL.pid] !== undefined);
  if (owners.length === 0) return 'foreign';
  const aliveHere = owners.some((r) => {
    const host = (r.labels[LABEL.owner] ?? '').split('@').pop();
    const pid = Number(r.labels[LABEL.pid]);
    return host === ctx.hostname && Number.isInteger(pid) && pid > 0 && ctx.isProcessAlive(pid);
  });
  return aliveHere ? 'alive' : 'gone';
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
