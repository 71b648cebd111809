/** Line and branch coverage per folder of the service's source (from c8's coverage-summary.json). */
export interface FolderCoverage {
  folder: string;
  lines: { covered: number; total: number };
  branches: { covered: number; total: number };
}

interface Totals {
  total: number;
  covered: number;
}
type SummaryJson = Record<string, { lines: Totals; branches: Totals }>;

/** Groups the per-file entries by their folder under `src/` (files directly in src/ are "src"). */
export function coverageByFolder(summary: SummaryJson): FolderCoverage[] {
  const folders = new Map<string, FolderCoverage>();
  for (const [file, entry] of Object.entries(summary)) {
    if (file === 'total') continue;
    const parts = file.split('/');
    const src = parts.lastIndexOf('src');
    const rest = src === -1 ? parts.slice(-2) : parts.slice(src + 1);
    const folder = rest.length > 1 ? `src/${rest[0]}` : 'src';
    const f = folders.get(folder) ?? {
      folder,
      lines: { covered: 0, total: 0 },
      branches: { covered: 0, total: 0 },
    };
    f.lines.covered += entry.lines.covered;
    f.lines.total += entry.lines.total;
    f.branches.covered += entry.branches.covered;
    f.branches.total += entry.branches.total;
    folders.set(folder, f);
  }
  return [...folders.values()].sort((a, b) => a.folder.localeCompare(b.folder));
}

export function pct(x: { covered: number; total: number }): string {
  return x.total === 0 ? '-' : `${((100 * x.covered) / x.total).toFixed(1)}%`;
}
