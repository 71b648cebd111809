import type { Fault } from '../fault.ts';

/** Faults the streaming suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'stream-drop-every-fifth-score',
    suite: 'streaming',
    file: 'services/streaming.ts',
    find: "frames.push({ type: 'score', payload: { ...scored, point: points[i] } });",
    replace:
      "if (scored.sequence % 5 !== 0) frames.push({ type: 'score', payload: { ...scored, point: points[i] } });",
    why: 'every fifth point of a session is scored but its score frame never reaches the socket',
  },
  {
    name: 'stream-batch-reversed',
    suite: 'streaming',
    file: 'services/streaming.ts',
    find: 'await ctx.hub.publish(session.id, frames);',
    replace: 'await ctx.hub.publish(session.id, [...frames].reverse());',
    why: 'the frames of a batch of points are published in reverse order',
  },
];
