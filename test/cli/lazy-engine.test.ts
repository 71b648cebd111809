import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const repoRoot = join(import.meta.dirname, '../..');

// testcontainers reads its Ryuk image when it loads; the CLI sets it first (loadCore). If main.ts
// loaded testcontainers statically, every stack would ask a registry for testcontainers' own Ryuk.
test('the CLI loads no testcontainers module before a command needs the engine', () => {
  const probe = `
    const { createRequire } = await import('node:module');
    await import(${JSON.stringify(join(repoRoot, 'src/orchestrator/main.ts'))});
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/testcontainers/'));
    process.stdout.write(JSON.stringify(loaded));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status, child.stderr).toBe(0);
  expect(JSON.parse(child.stdout)).toEqual([]);
});
