import { scaleLinear } from 'd3-scale';
import { formatDuration } from '../progress/model.ts';
import type { SuiteResult } from '../scheduler/types.ts';
import { escapeHtml as h } from './escape.ts';

export interface TimelineBar {
  id: string;
  status: string;
  lane: number;
  start: number;
  end: number;
  /** Stack start from `start`, tests right after it, teardown ending at `end`. */
  stackMs: number;
  testsMs: number;
  teardownMs: number;
}

/**
 * Bars of the suites that started, each in its lane: the scheduler's slot when the result
 * records it, else (older run.json) the first lane free when it started, which is the same:
 * each worker takes the next job when its own ends.
 */
export function timelineBars(results: readonly SuiteResult[]): TimelineBar[] {
  const started = results
    .filter((r) => r.startedAt !== undefined)
    .map((r) => {
      const start = Date.parse(r.startedAt as string);
      return {
        id: r.job.id,
        status: r.status,
        lane: r.slot ?? -1,
        start,
        end: start + r.durationMs,
        stackMs: r.phases.stackMs ?? 0,
        testsMs: r.phases.testsMs ?? 0,
        // A teardown in the background came after the bar's end, beside the lane's next job.
        teardownMs: r.phases.teardownInBackground ? 0 : (r.phases.teardownMs ?? 0),
      };
    })
    .sort((a, b) => a.start - b.start);
  if (started.every((b) => b.lane >= 0)) return started;
  const laneEnds: number[] = [];
  for (const bar of started) {
    const free = laneEnds.findIndex((end) => end <= bar.start);
    bar.lane = free === -1 ? laneEnds.length : free;
    laneEnds[bar.lane] = bar.end;
  }
  return started;
}

/** The timeline as positioned HTML (widths in % of the run's span), one row per lane. */
export function renderTimeline(results: readonly SuiteResult[]): string {
  const bars = timelineBars(results);
  if (bars.length === 0) return '<p>No suite started.</p>';
  const t0 = Math.min(...bars.map((b) => b.start));
  const t1 = Math.max(...bars.map((b) => b.end));
  // Elapsed time since the first suite started → % of the track.
  const x = scaleLinear()
    .domain([0, Math.max(t1 - t0, 1)])
    .range([0, 100]);
  const w = (ms: number) => x(ms).toFixed(3);
  const lanes = Math.max(...bars.map((b) => b.lane)) + 1;
  const rows: string[] = [];
  for (let lane = 0; lane < lanes; lane += 1) {
    const inLane = bars
      .filter((b) => b.lane === lane)
      .map((b) => {
        const span = b.end - b.start;
        const title = `${b.id}: ${b.status.replace('_', ' ')}, ${formatDuration(span)} (stack start ${formatDuration(b.stackMs)}, tests ${formatDuration(b.testsMs)}, teardown ${formatDuration(b.teardownMs)})`;
        const seg = (cls: string, ms: number) =>
          ms > 0
            ? `<span class="seg ${cls}" style="width:${((100 * ms) / Math.max(span, 1)).toFixed(2)}%"></span>`
            : '';
        const gap = Math.max(0, span - b.stackMs - b.testsMs - b.teardownMs);
        return `<a class="bar st-${h(b.status)}" href="#suite-${h(encodeURIComponent(b.id))}" style="left:${x(b.start - t0).toFixed(3)}%;width:${w(span)}%" title="${h(title)}" aria-label="${h(title)}" data-suite="${h(b.id)}"><span class="segs">${seg('stack', b.stackMs)}${seg('tests', b.testsMs)}${seg('other', gap)}${seg('teardown', b.teardownMs)}</span><span class="bar-label">${h(b.id)}${b.status === 'passed' ? '' : ' ✗'}</span></a>`;
      })
      .join('');
    rows.push(
      `<div class="lane"><span class="lane-name">slot ${lane + 1}</span><div class="track">${inLane}</div></div>`,
    );
  }
  const ticks = x
    .ticks(6)
    .map((t) => `<span class="tick" style="left:${x(t).toFixed(3)}%">${h(formatDuration(t))}</span>`)
    .join('');
  return `<div class="timeline" role="group" aria-label="timeline of the run">${rows.join('')}<div class="lane axis"><span class="lane-name"></span><div class="track">${ticks}</div></div></div>
<p class="legend"><span class="key stack"></span> stack start <span class="key tests"></span> tests <span class="key other"></span> logs and coverage <span class="key teardown"></span> teardown · outline colour = suite status</p>`;
}
