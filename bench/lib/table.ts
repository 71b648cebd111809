/**
 * The Speed table of bench/README.md (between the bench:table markers), rendered from the day's
 * results: each figure beside its same-run floor, its target, and by how much it misses it.
 */
import { type DayResults, type FullRunFigures, PARTS, type Part, type PartRecord } from './results.ts';
import { round } from './stats.ts';

export const TARGETS = {
  stackStartMedianSeconds: 1.5,
  stackStartRatio: 1.3,
  fullRunSeconds: 60,
  coldRunSeconds: 180,
  npmTestSeconds: 120,
  unitSeconds: 10,
  predictRatio: 0.4,
} as const;

export const BEGIN = '<!-- bench:table -->';
export const END = '<!-- /bench:table -->';

const s = (x: number) => `${round(x, 2)} s`;
const pct = (x: number) => (x < 0.1 ? `${round(x * 100, 1)}%` : `${Math.round(x * 100)}%`);

/** "met", or how far over (or under, for a floor) the target a figure is. */
export function verdict(
  value: number,
  target: number,
  direction: 'at-most' | 'at-least',
  unit = ' s',
): string {
  const met = direction === 'at-most' ? value <= target : value >= target;
  if (met) return 'met';
  if (unit === '%') return `missed by ${Math.round(Math.abs(target - value) * 100)} points`;
  if (unit === '×') return `missed by ${round(Math.abs(value - target), 2)}×`;
  const times = direction === 'at-most' ? value / target : target / Math.max(value, 1e-9);
  return `missed by ${round(Math.abs(value - target), 2)}${unit} (${round(times, 1)}×)`;
}

/** Several targets of one figure: "met" when all are, else each named with its verdict. */
const both = (...verdicts: [name: string, verdict: string][]) =>
  verdicts.every(([, v]) => v === 'met') ? 'met' : verdicts.map(([name, v]) => `${name} ${v}`).join('; ');

type Row = [what: string, measured: string, floor: string, target: string, verdict: string];

function failed(part: Part, record: PartRecord): Row {
  return [part, `not measured: ${record.error ?? 'no figures'}`, '', '', ''];
}

function rowsOf(results: DayResults): Row[] {
  const rows: Row[] = [];
  const { parts } = results;
  const start = parts['stack-start'];
  if (start?.figures) {
    const f = start.figures;
    rows.push([
      `warm stack start (PG, Redis, service ready), median (p95) of ${f.oursSeconds.n}`,
      `${s(f.oursSeconds.median)} (${s(f.oursSeconds.p95)})`,
      `docker run floor ${s(f.floorSeconds.median)} (${s(f.floorSeconds.p95)}); ratio ${round(f.ratioMedian, 2)} (p95 ${round(f.ratioP95, 2)})`,
      `≤ ${TARGETS.stackStartMedianSeconds} s and ≤ ${TARGETS.stackStartRatio}×`,
      both(
        ['median', verdict(f.oursSeconds.median, TARGETS.stackStartMedianSeconds, 'at-most')],
        ['ratio', verdict(f.ratioMedian, TARGETS.stackStartRatio, 'at-most', '×')],
      ),
    ]);
  } else if (start) rows.push(failed('stack-start', start));

  const full = parts['full-run'];
  if (full?.figures) {
    const f = full.figures;
    const t = totals(f);
    rows.push([
      `full run (\`it:hermetic\`, ${Object.keys(f.suites).length} suites, -j ${f.parallel ?? '?'}, warm images)`,
      `${s(f.wallSeconds)} (${f.timedOut ? 'timed out' : `exit ${f.exitCode}`})`,
      `summed over suites: stack start ${s(t.stack)}, tests ${s(t.tests)}, teardown ${s(t.teardown)}, other ${s(t.other)} (per suite below)`,
      `≤ ${TARGETS.fullRunSeconds} s`,
      verdict(f.wallSeconds, TARGETS.fullRunSeconds, 'at-most'),
    ]);
  } else if (full) rows.push(failed('full-run', full));

  const cold = parts['cold-run'];
  if (cold?.figures) {
    const f = cold.figures;
    rows.push([
      'cold run (empty engine → green run, `npm ci` included)',
      `${s(f.totalSeconds)}${f.passed ? '' : ' (FAILED)'}`,
      Object.entries(f.steps)
        .map(([name, step]) => `${name} ${s(step.seconds)}${step.passed ? '' : ' (failed)'}`)
        .join(', '),
      `≤ ${TARGETS.coldRunSeconds / 60} min`,
      verdict(f.totalSeconds, TARGETS.coldRunSeconds, 'at-most'),
    ]);
  } else if (cold) rows.push(failed('cold-run', cold));

  const npm = parts['npm-test'];
  if (npm?.figures) {
    const f = npm.figures;
    const unit = f.steps.unit;
    const anyFailed = Object.values(f.steps).some((step) => !step.passed);
    rows.push([
      '`npm test`, steps one after another',
      `${s(f.totalSeconds)}${anyFailed ? ' (a step FAILED)' : ''}`,
      Object.entries(f.steps)
        .map(([name, step]) => `${name} ${s(step.seconds)}${step.passed ? '' : ' (failed)'}`)
        .join(', '),
      `≤ ${TARGETS.npmTestSeconds / 60} min`,
      verdict(f.totalSeconds, TARGETS.npmTestSeconds, 'at-most'),
    ]);
    if (unit)
      rows.push([
        '`npm test`, unit project',
        `${s(unit.seconds)}${unit.passed ? '' : ' (FAILED)'}`,
        '',
        `≤ ${TARGETS.unitSeconds} s`,
        verdict(unit.seconds, TARGETS.unitSeconds, 'at-most'),
      ]);
  } else if (npm) rows.push(failed('npm-test', npm));

  const load = parts.load;
  if (load?.figures) {
    const f = load.figures;
    for (const [name, w] of Object.entries(f.workloads)) {
      const side = (x: typeof w.service) =>
        `${Math.round(x.requestsPerSecond)} req/s, p50 ${x.latencyMs.p50} ms, p99 ${x.latencyMs.p99} ms${x.non2xx + x.errors > 0 ? `, ${x.non2xx} non-2xx, ${x.errors} errors` : ''}`;
      const isPredict = name.startsWith('predict');
      rows.push([
        `service under load: ${name} (${f.connections} connections, ${f.runsPerSide}×${f.secondsPerRun} s)`,
        side(w.service),
        `bare fastify, same image: ${side(w.bare)}; ratio ${pct(w.ratio)}`,
        isPredict
          ? `≥ ${pct(TARGETS.predictRatio)} of bare`
          : name.startsWith('GET')
            ? '(explains the gap)'
            : '(none)',
        isPredict ? verdict(w.ratio, TARGETS.predictRatio, 'at-least', '%') : '',
      ]);
    }
  } else if (load) rows.push(failed('load', load));
  return rows;
}

export function totals(f: FullRunFigures) {
  const all = Object.values(f.suites);
  const sum = (pick: (x: (typeof all)[number]) => number) => all.reduce((a, x) => a + pick(x), 0);
  return {
    stack: sum((x) => x.stackSeconds),
    tests: sum((x) => x.testsSeconds),
    teardown: sum((x) => x.teardownSeconds),
    other: sum((x) => x.otherSeconds),
  };
}

/** A Markdown table with its columns padded to one width, as biome formats Markdown. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const escaped = [header, ...rows].map((r) => r.map((c) => c.replace(/\|/g, '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...escaped.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  const [head, ...body] = escaped;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

function suiteTable(f: FullRunFigures): string[] {
  return [
    '',
    'Full run, per suite (from its run.json; stack start is what the suite waited for its stack):',
    '',
    ...markdownTable(
      ['suite', 'status', 'total', 'stack start', 'tests', 'teardown', 'other', 'stack start+stop share'],
      Object.entries(f.suites).map(([id, x]) => [
        id,
        x.status,
        s(x.seconds),
        `${s(x.stackSeconds)}${x.stackWarm ? ' (started ahead)' : ''}`,
        s(x.testsSeconds),
        s(x.teardownSeconds),
        s(x.otherSeconds),
        pct(x.stackShare),
      ]),
    ),
  ];
}

function loadLine(part: string, record: PartRecord): string {
  const [s1] = record.loadAverage.start;
  const [e1] = record.loadAverage.end;
  return `${part} ${record.measuredAt.slice(11, 16)} UTC, load ${round(s1, 1)} → ${round(e1, 1)}`;
}

/** The whole block between (and including) the markers. */
export function renderTable(results: DayResults, resultsFile: string): string {
  const records = PARTS.flatMap((p) =>
    results.parts[p] ? [[p, results.parts[p]] as [Part, PartRecord]] : [],
  );
  const notes = [...new Set(records.map(([, r]) => r.note).filter(Boolean))];
  const full = results.parts['full-run']?.figures;
  return [
    BEGIN,
    `Last \`npm run bench\`: ${results.updatedAt} on ${results.cores} cores (${resultsFile}).`,
    `Each part's time and 1-minute load average at its start → end: ${records.map(([p, r]) => loadLine(p, r)).join('; ')}.`,
    ...notes.map((n) => `**${n}**`),
    '',
    ...markdownTable(
      ['what', 'measured', 'floor / same-run comparison', 'target', 'verdict'],
      rowsOf(results),
    ),
    ...(full ? suiteTable(full) : []),
    END,
  ].join('\n');
}

/** README text with the block replaced (or a Speed section added when it has no markers). */
export function replaceTable(readme: string, block: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) return `${readme.trimEnd()}\n\n## Speed\n\n${block}\n`;
  return readme.slice(0, start) + block + readme.slice(end + END.length);
}
