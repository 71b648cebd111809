import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, test } from 'vitest';

const file = join(import.meta.dirname, '../../../.github/workflows/integration.yml');
const source = readFileSync(file, 'utf8');

describe('the GitHub Actions workflow', () => {
  test('validates against the workflow schema (action-validator)', () => {
    expect(validateWorkflow(source).errors, '.github/workflows/integration.yml').toEqual([]);
  });

  test('the validator does refuse a broken workflow (so the check above can fail)', () => {
    const broken = source.replace('runs-on: ubuntu-latest', 'runs-on: [ubuntu-latest');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    const unknownKey = source.replace('timeout-minutes: 45', 'timeout-minutez: 45');
    expect(validateWorkflow(unknownKey).errors.length).toBeGreaterThan(0);
  });

  test('it runs what the README promises: health, the hermetic run with coverage, both CI-image modes, shards merged', () => {
    expect(source).toContain('npm run it:health');
    expect(source).toContain('bash scripts/ci-dind.sh');
    expect(source).toContain('docker run --rm -v /var/run/docker.sock:/var/run/docker.sock');
    expect(source).toContain('npm run it:hermetic -- --coverage --reports-dir test_reports');
    expect(source).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/3/);
    expect(source).toContain('merge-reports test_reports/shard-1 test_reports/shard-2 test_reports/shard-3');
    // Reports are uploaded on failure too.
    expect(source.match(/if: always\(\)\n\s+uses: actions\/upload-artifact@v4/g)?.length).toBe(5);
  });
});
