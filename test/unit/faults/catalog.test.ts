import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FAULTS, type Fault } from '../../../faults/catalog.ts';
import { plant } from '../../../faults/plant.ts';
import { SUITE_NAMES } from '../../../src/orchestrator/suites/catalog.ts';

const SRC = join(import.meta.dirname, '../../../containers/pynomaly/src');
const fault = (find: string): Fault => ({
  name: 'f',
  suite: 'database',
  file: 'x.ts',
  find,
  replace: 'B',
  why: 'test',
});

describe('planting a fault', () => {
  test('replaces the one occurrence', () => {
    expect(plant('xAx', fault('A'))).toBe('xBx');
  });

  test.each([
    ['absent', 'xyz', /found it 0 times/],
    ['twice', 'AxA', /found it 2 times/],
  ])('refuses text that is %s', (_, source, message) => {
    expect(() => plant(source, fault('A'))).toThrow(message);
  });
});

describe('the fault catalog', () => {
  test('names are unique and every suite has a fault', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size, 'fault names must be unique').toBe(names.length);
    const missing = SUITE_NAMES.filter((s) => !FAULTS.some((f) => f.suite === s));
    expect(missing, 'suites without a fault').toEqual([]);
  });

  // Without it a red suite proves nothing: fault-check reports the catch as "unverified".
  test('every fault names the failure that proves it (`expect`)', () => {
    expect(
      FAULTS.filter((f) => !f.expect?.trim()).map((f) => f.name),
      'faults without expect',
    ).toEqual([]);
  });

  test('the CI subset (ci: true) has exactly one fault per suite', () => {
    const ci = FAULTS.filter((f) => f.ci);
    expect(ci.map((f) => f.suite).sort(), 'suites of the ci: true faults').toEqual([...SUITE_NAMES].sort());
  });

  // fault-check replaces the compiled output of the one planted file in the service image.
  test('every fault plants into a .ts file of the service build', () => {
    expect(FAULTS.filter((f) => !/^[\w/.-]+(?<!\.d)\.ts$/.test(f.file)).map((f) => f.name)).toEqual([]);
  });

  // The service changes; a fault whose text is gone would stop the check before any build.
  test.each(FAULTS.map((f) => [f.name, f] as const))('%s plants into the current source', (_, f) => {
    const source = readFileSync(join(SRC, f.file), 'utf8');
    expect(plant(source, f), `${f.name} must change ${f.file}`).not.toBe(source);
  });
});
