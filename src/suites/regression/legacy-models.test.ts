/**
 * regression / models exported by earlier format versions still import and score identically.
 * The committed files under fixtures/ were written once by fixtures/generate.ts (format_version 1
 * documents and the scores they gave then).
 *
 * Faults this file catches:
 * - import refusing an older format_version, or reading one of its fields differently
 *   (checked by faults/catalog.ts: reg-format-v1-dropped)
 * - a change in any algorithm's scoring or thresholding (scores differ by more than 1e-12, or flags change)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { importAndScore } from '../fixtures/models.ts';
import { test } from '../fixtures/test.ts';

interface LegacyFixture {
  format_version: number;
  algorithm: string;
  document: Record<string, unknown>;
  points: Record<string, number>[];
  expected: { anomaly_score: number; is_anomaly: boolean }[];
}

const dir = new URL('./fixtures/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => /^model-v\d+-.+\.json$/.test(f))
  .sort();

describe('legacy model documents', { tags: ['regression', 'api'] }, () => {
  test('fixtures of earlier format versions are committed', () => {
    expect(
      files.length,
      'src/suites/regression/fixtures must hold model-v1-*.json (run generate.ts once)',
    ).toBeGreaterThan(0);
  });

  test.for(files)('%s imports and scores identically', async (file, { helper }) => {
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as LegacyFixture;
    expect(
      fixture.document.format_version,
      `${file} is a format_version ${fixture.format_version} document`,
    ).toBe(fixture.format_version);
    const { scores, flags } = await importAndScore(helper, fixture.document, fixture.points);
    for (const [i, score] of scores.entries())
      expect(
        Math.abs(score - fixture.expected[i].anomaly_score),
        `${file}: point ${i} must score ${fixture.expected[i].anomaly_score} (got ${score})`,
      ).toBeLessThanOrEqual(1e-12);
    expect(flags, `${file}: anomaly flags must be unchanged`).toEqual(
      fixture.expected.map((e) => e.is_anomaly),
    );
  });
});
