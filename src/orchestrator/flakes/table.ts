import type { LoadLevel } from '../config/types.ts';
import { type HuntCounts, type HuntRun, verdict } from './count.ts';

const describeLoad = (r: HuntRun) =>
  `${r.load}: --parallel ${r.parallel}${r.cpus !== undefined ? ` --cpus ${r.cpus}` : ''}, seed ${r.seed}, exit ${r.exitCode}, reports ${r.reportsDir}`;

/** flakes.txt: the runs, suite outcomes, then one line per test with passed/total per load level. */
export function renderHuntTable(runs: readonly HuntRun[], counts: HuntCounts, iterations: number): string {
  const loads = [...new Set(runs.map((r) => r.load))] as LoadLevel[];
  const lines = [`Flake hunt: ${iterations} iteration(s) per suite and load level`, ''];
  for (const r of runs) lines.push(`  ${describeLoad(r)}`);
  lines.push('', 'Suite runs by status:');
  for (const s of counts.suites)
    lines.push(
      `  ${s.suite}: ${loads
        .map((l) => {
          const st = Object.entries(s.byLoad[l] ?? {});
          return `${l} ${st.length > 0 ? st.map(([k, n]) => `${k} ${n}`).join(', ') : '-'}`;
        })
        .join('; ')}`,
    );
  const width = Math.max(14, ...loads.map((l) => l.length));
  lines.push('', `${'verdict'.padEnd(7)}  ${loads.map((l) => l.padStart(width)).join('  ')}  test`);
  for (const row of counts.tests) {
    const cells = loads.map((l) => {
      const c = row.byLoad[l];
      return (c ? `${c.passed}/${c.passed + c.failed} passed` : '-').padStart(width);
    });
    const seeds = loads.flatMap((l) => row.byLoad[l]?.failedSeeds ?? []);
    const failedUnder = seeds.length > 0 ? `  (failed under seed ${[...new Set(seeds)].join(', ')})` : '';
    lines.push(
      `${verdict(row).padEnd(7)}  ${cells.join('  ')}  ${row.suite}: ${row.file} > ${row.name}${failedUnder}`,
    );
  }
  const flaky = counts.tests.filter((t) => verdict(t) !== 'ok').length;
  lines.push('', `${flaky} of ${counts.tests.length} test(s) failed at least once.`, '');
  return lines.join('\n');
}
