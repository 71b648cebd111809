import { jobNameOf, MARKERS, SUITES } from '../suites/catalog.ts';

/** `list` and `run --list`: suites with upstream names and markers, then the markers. */
export function renderList(): string {
  const width = Math.max(...SUITES.map((s) => s.name.length));
  const fileWidth = Math.max(...SUITES.map((s) => s.upstreamFile.length));
  const lines = ['Suites (each runs on its own fresh stack):', ''];
  for (const s of SUITES)
    lines.push(
      `  ${s.name.padEnd(width)}  ${s.upstreamFile.padEnd(fileWidth)}  [${s.markers.join(', ')}]${s.exclusive ? '  runs alone' : ''}`,
      `  ${''.padEnd(width)}  ${s.description}`,
      ...(s.upstreamAliases.length > 0
        ? [`  ${''.padEnd(width)}  also accepted: ${s.upstreamAliases.join(', ')}`]
        : []),
      ...s.parts.map(
        (p) => `  ${''.padEnd(width)}  part ${jobNameOf(s, p)} on a stack of its own: ${p.files.join(', ')}`,
      ),
    );
  lines.push('', `Markers (--markers a,b selects tests tagged a OR b): ${MARKERS.join(', ')}`, '');
  return lines.join('\n');
}

export function listCommand(): number {
  process.stdout.write(renderList());
  return 0;
}
