/**
 * Writes faults/candidates.json: candidate faults that mutation operators (faults/candidates.ts)
 * make in the service's routes and repositories. Run them with
 * `npx tsx scripts/fault-check.ts --candidates [--limit N] [--operator X]`.
 *
 *   npx tsx scripts/fault-candidates.ts
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { candidatesOf } from '../faults/candidates.ts';
import { SERVICE_DIR } from '../faults/fault-image.ts';
import { REPO_ROOT } from '../src/orchestrator/images/definitions.ts';

/** Folders whose .ts files are scanned, and single files beside them (the list queries' shared paging). */
const SCANNED = ['routes', 'db/repositories'];
const SCANNED_FILES = ['db/paginate.ts'];
const OUT = join(REPO_ROOT, 'faults/candidates.json');

async function main(): Promise<void> {
  const files = (
    await Promise.all(
      SCANNED.map(async (dir) =>
        (
          await readdir(join(SERVICE_DIR, 'src', dir))
        )
          .filter((f) => f.endsWith('.ts'))
          .map((f) => `${dir}/${f}`),
      ),
    )
  )
    .flat()
    .concat(SCANNED_FILES)
    .sort();
  const candidates = (
    await Promise.all(
      files.map(async (f) => candidatesOf(f, await readFile(join(SERVICE_DIR, 'src', f), 'utf8'))),
    )
  ).flat();
  await writeFile(OUT, `${JSON.stringify({ generatedAt: new Date().toISOString(), candidates }, null, 2)}\n`);
  const perOperator = new Map<string, number>();
  for (const c of candidates) perOperator.set(c.operator, (perOperator.get(c.operator) ?? 0) + 1);
  console.log(
    `${candidates.length} candidates from ${files.length} files -> ${relative(REPO_ROOT, OUT)}\n` +
      [...perOperator].map(([op, n]) => `  ${op}: ${n}`).join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
