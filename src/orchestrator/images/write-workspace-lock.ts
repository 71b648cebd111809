/**
 * `tsx src/orchestrator/images/write-workspace-lock.ts <workspace> <out>`: writes the workspace's
 * own lockfile (workspace-lock.ts), for a staging folder where it installs alone.
 */
import { writeFileSync } from 'node:fs';
import { REPO_ROOT } from './definitions.ts';
import { rootWorkspaceLock } from './workspace-lock.ts';

const [workspace, out] = process.argv.slice(2);
if (!workspace || !out) {
  console.error('usage: write-workspace-lock.ts <workspace folder, e.g. containers/pynomaly> <out file>');
  process.exit(2);
}
writeFileSync(out, `${JSON.stringify(rootWorkspaceLock(workspace, REPO_ROOT), null, 2)}\n`);
