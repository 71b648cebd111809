import { scaleBand, scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { escapeHtml as h } from './escape.ts';

/** What the performance suite writes to <suite>/performance.json (the parts charted here). */
export interface PerformanceFigures {
  run_id?: string;
  phases: {
    name: string;
    throughput_rps: number;
    latency_ms: { p50: number; p95: number; p99: number };
    memory_before_bytes?: number | null;
    memory_after_bytes?: number | null;
  }[];
  baseline_comparison?: {
    phase: string;
    baseline: { throughput_rps: number; p95_ms: number } | null;
    regression: boolean;
    reason: string | null;
  }[];
}

export interface BarRow {
  label: string;
  values: number[];
  /** A reference value drawn as a tick across the row (the baseline). */
  marker?: number;
}

export interface BarChart {
  title: string;
  unit: string;
  series: string[];
  rows: BarRow[];
  markerLabel?: string;
  log?: boolean;
}

const WIDTH = 640;
const LEFT = 120;
const RIGHT = 70;
const TOP = 26;
const AXIS = 24;
const ROW = 20;

const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

/** A horizontal grouped bar chart as inline SVG; the scales and paths come from d3. */
export function renderBarChart(chart: BarChart): string {
  const height = TOP + AXIS + chart.rows.length * chart.series.length * ROW * 1.4;
  const all = chart.rows.flatMap((r) => [...r.values, ...(r.marker !== undefined ? [r.marker] : [])]);
  const max = Math.max(1, ...all);
  const min = Math.max(0.1, Math.min(...all.filter((v) => v > 0)));
  const x = chart.log
    ? scaleLog()
        .domain([min / 1.5, max * 1.1])
        .range([LEFT, WIDTH - RIGHT])
        .nice()
    : scaleLinear()
        .domain([0, max])
        .range([LEFT, WIDTH - RIGHT])
        .nice();
  const y = scaleBand()
    .domain(chart.rows.map((r) => r.label))
    .range([TOP, height - AXIS])
    .padding(0.2);
  const inner = scaleBand().domain(chart.series).range([0, y.bandwidth()]).padding(0.1);
  const x0 = x.range()[0];
  const path = line();
  // Log axes: 1-2-5 steps, only powers of ten over a wide range (d3 would label every integer).
  const [d0, d1] = x.domain();
  const steps = d1 / d0 > 300 ? [1] : [1, 2, 5];
  const ticks = chart.log
    ? x.ticks().filter((t) => steps.includes(Math.round(t / 10 ** Math.floor(Math.log10(t)))))
    : x.ticks(5);
  const grid = ticks
    .map(
      (t) =>
        `<path class="grid" d="${path([
          [x(t), TOP],
          [x(t), height - AXIS],
        ])}"/><text class="axis-label" x="${x(t).toFixed(1)}" y="${height - AXIS + 14}" text-anchor="middle">${h(fmt(t))}</text>`,
    )
    .join('');
  const rows = chart.rows
    .map((r) => {
      const top = y(r.label) ?? 0;
      const geometry = r.values.map((v, i) => ({
        v,
        i,
        by: top + (inner(chart.series[i]) ?? 0),
        bw: Math.max(1, x(Math.max(v, x.domain()[0])) - x0),
      }));
      const bars = geometry
        .map(
          ({ v, i, by, bw }) =>
            `<rect class="s${i}" x="${x0}" y="${by.toFixed(1)}" width="${bw.toFixed(1)}" height="${inner.bandwidth().toFixed(1)}"><title>${h(`${r.label} ${chart.series[i]}: ${fmt(v)} ${chart.unit}`)}</title></rect>`,
        )
        .join('');
      // Values last, over the baseline tick, so it never hides a number.
      const values = geometry
        .map(
          ({ v, by, bw }) =>
            `<text class="val" x="${(x0 + bw + 4).toFixed(1)}" y="${(by + inner.bandwidth() / 2 + 4).toFixed(1)}">${h(fmt(v))}</text>`,
        )
        .join('');
      const marker =
        r.marker !== undefined
          ? `<path class="base" d="${path([
              [x(r.marker), top - 2],
              [x(r.marker), top + y.bandwidth() + 2],
            ])}"><title>${h(`${r.label} ${chart.markerLabel ?? 'baseline'}: ${fmt(r.marker)} ${chart.unit}`)}</title></path>`
          : '';
      return `<text class="row" x="${LEFT - 8}" y="${(top + y.bandwidth() / 2 + 4).toFixed(1)}" text-anchor="end">${h(r.label)}</text>${bars}${marker}${values}`;
    })
    .join('');
  const keys = [
    ...chart.series.map((s, i) => `<tspan class="k s${i}">■</tspan> ${h(s)}`),
    ...(chart.markerLabel ? [`<tspan class="k base">┃</tspan> ${h(chart.markerLabel)}`] : []),
  ].join('  ');
  return `<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${height.toFixed(0)}" role="img" aria-label="${h(chart.title)}"><text class="title" x="0" y="14">${h(chart.title)} (${h(chart.unit)}${chart.log ? ', log scale' : ''})</text><text class="keys" x="${WIDTH}" y="14" text-anchor="end">${keys}</text>${grid}${rows}</svg></figure>`;
}

const MB = 1024 * 1024;

/** The performance suite's charts: throughput and latency per phase against the baseline, memory. */
export function renderPerformanceCharts(figures: PerformanceFigures): string {
  const baseline = (phase: string) => figures.baseline_comparison?.find((c) => c.phase === phase)?.baseline;
  const charts = [
    renderBarChart({
      title: 'Throughput per phase',
      unit: 'requests/s',
      series: ['measured', 'baseline'],
      log: true,
      rows: figures.phases.map((p) => ({
        label: p.name,
        values: [p.throughput_rps, baseline(p.name)?.throughput_rps ?? 0],
      })),
    }),
    renderBarChart({
      title: 'Latency per phase',
      unit: 'ms',
      series: ['p50', 'p95', 'p99'],
      markerLabel: 'baseline p95',
      log: true,
      rows: figures.phases.map((p) => ({
        label: p.name,
        values: [p.latency_ms.p50, p.latency_ms.p95, p.latency_ms.p99],
        marker: baseline(p.name)?.p95_ms,
      })),
    }),
  ];
  const withMemory = figures.phases.filter((p) => typeof p.memory_before_bytes === 'number');
  if (withMemory.length > 0)
    charts.push(
      renderBarChart({
        title: 'Service memory before and after each phase',
        unit: 'MiB',
        series: ['before', 'after'],
        rows: withMemory.map((p) => ({
          label: p.name,
          values: [(p.memory_before_bytes ?? 0) / MB, (p.memory_after_bytes ?? 0) / MB],
        })),
      }),
    );
  const regressions = (figures.baseline_comparison ?? []).filter((c) => c.regression && c.reason);
  const notes =
    regressions.length > 0
      ? `<ul class="perf-notes">${regressions.map((c) => `<li>${h(c.phase)}: ${h(c.reason ?? '')} (recorded, not failing)</li>`).join('')}</ul>`
      : '';
  return `<div class="charts">${charts.join('')}</div>${notes}`;
}
