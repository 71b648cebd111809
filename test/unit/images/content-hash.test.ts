import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { imageTag } from '../../../src/orchestrator/images/content-hash.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pit-tag-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/app.js'), 'console.log(1)\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('image tags', () => {
  test('have the form pynomaly-it/<name>:<12 hex> and are stable for unchanged sources', async () => {
    const tag = await imageTag('svc', dir);
    expect(tag).toMatch(/^pynomaly-it\/svc:[0-9a-f]{12}$/);
    expect(await imageTag('svc', dir)).toBe(tag);
  });

  test('change when a file content changes, or a file is added or renamed', async () => {
    const before = await imageTag('svc', dir);
    writeFileSync(join(dir, 'src/app.js'), 'console.log(2)\n');
    const changed = await imageTag('svc', dir);
    expect(changed).not.toBe(before);
    writeFileSync(join(dir, 'src/extra.js'), '');
    expect(await imageTag('svc', dir)).not.toBe(changed);
  });

  test('change with the executable bit (COPY keeps it)', async () => {
    const before = await imageTag('svc', dir);
    chmodSync(join(dir, 'src/app.js'), 0o755);
    expect(await imageTag('svc', dir)).not.toBe(before);
  });

  test('change with the tags of the images it builds FROM', async () => {
    expect(await imageTag('svc', dir, ['pynomaly-it/node-runtime:aaaaaaaaaaaa'])).not.toBe(
      await imageTag('svc', dir, ['pynomaly-it/node-runtime:bbbbbbbbbbbb']),
    );
  });

  test('ignore node_modules, .image, dist and coverage', async () => {
    const before = await imageTag('svc', dir);
    for (const ignored of ['node_modules/pkg', '.image', 'dist', 'coverage', 'src/node_modules']) {
      mkdirSync(join(dir, ignored), { recursive: true });
      writeFileSync(join(dir, ignored, 'file.js'), `${ignored}\n`);
    }
    expect(await imageTag('svc', dir)).toBe(before);
  });

  test('ignore the paths a definition skips, and only those', async () => {
    const before = await imageTag('svc', dir, [], ['test']);
    mkdirSync(join(dir, 'test'));
    writeFileSync(join(dir, 'test/a.test.ts'), 'x');
    expect(await imageTag('svc', dir, [], ['test'])).toBe(before);
    expect(await imageTag('svc', dir)).not.toBe(await imageTag('svc', dir, [], ['test']));
  });
});
