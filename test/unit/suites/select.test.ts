import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../src/orchestrator/config/errors.ts';
import { findSuite, MARKERS, SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import { parseMarkers, parseSuiteNames, selectSuites } from '../../../src/orchestrator/suites/select.ts';

const names = (s: { suites: { name: string }[] }) => s.suites.map((x) => x.name);

describe('catalogue', () => {
  test('seven suites, each with an upstream file and a folder; only performance runs alone', () => {
    expect(SUITES).toHaveLength(7);
    for (const s of SUITES) {
      expect(s.upstreamFile).toMatch(/^test_[a-z_]+\.py$/);
      expect(s.dir).toBe(`src/suites/${s.name}`);
      for (const m of s.markers) expect(MARKERS).toContain(m);
    }
    expect(SUITES.filter((s) => s.exclusive).map((s) => s.name)).toEqual(['performance']);
  });

  test('the security suite gets a rate limit its bounded burst can reach; others keep the service default', () => {
    const limit = Number(SUITES.find((s) => s.name === 'security')!.serviceEnv.PYNOMALY_API_RATE_LIMIT);
    expect(Number.isInteger(limit) && limit > 0 && limit <= 1000).toBe(true);
    expect(SUITES.filter((s) => Object.keys(s.serviceEnv).length > 0).map((s) => s.name)).toEqual([
      'security',
    ]);
  });

  test('unknown names find nothing', () => {
    expect(findSuite('test_unknown.py')).toBeUndefined();
    expect(findSuite('')).toBeUndefined();
  });
});

describe('selection', () => {
  test('markers keep only suites whose marker set intersects, and become an OR tag filter', () => {
    const s = selectSuites([], parseMarkers(['database']));
    expect(names(s)).toEqual(['database']);
    expect(s.tagsFilter).toBe('database');
    const two = selectSuites([], parseMarkers(['security,performance']));
    expect(names(two)).toEqual(['security', 'regression', 'performance']);
    expect(two.tagsFilter).toBe('security || performance');
  });

  test('named suites intersect with markers', () => {
    const s = selectSuites(parseSuiteNames(['regression', 'database']), parseMarkers(['api']));
    expect(names(s)).toEqual(['regression']);
  });

  test('the exclusive suite comes after every other, whatever the order given', () => {
    const s = selectSuites(parseSuiteNames(['performance', 'streaming', 'database']), []);
    expect(names(s)).toEqual(['database', 'streaming', 'performance']);
  });

  test('duplicates collapse, markers are case-insensitive', () => {
    expect(parseSuiteNames(['database', 'test_database_integration.py']).map((s) => s.name)).toEqual([
      'database',
    ]);
    expect(parseMarkers(['API', 'api'])).toEqual(['api']);
  });

  test('an empty intersection is a usage error', () => {
    expect(() => selectSuites(parseSuiteNames(['performance']), parseMarkers(['database']))).toThrow(
      UsageError,
    );
  });
});
