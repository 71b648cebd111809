import { UsageError } from '../config/errors.ts';
import { findSuite, MARKERS, type Marker, SUITES, type SuiteDefinition, suiteChoices } from './catalog.ts';

export interface Selection {
  /** Suites to start, non-exclusive ones first, in catalogue order. */
  suites: SuiteDefinition[];
  /** Vitest `--tagsFilter` expression, or undefined to run every test of a suite. */
  tagsFilter?: string;
}

export function parseSuiteNames(given: readonly string[]): SuiteDefinition[] {
  const found: SuiteDefinition[] = [];
  for (const name of given) {
    const suite = findSuite(name);
    if (!suite) throw new UsageError(`unknown suite "${name}"; valid suites: ${suiteChoices().join(', ')}`);
    if (!found.includes(suite)) found.push(suite);
  }
  return found;
}

export function parseMarkers(given: readonly string[]): Marker[] {
  const markers: Marker[] = [];
  for (const raw of given.flatMap((m) => m.split(/[,\s]+/)).filter(Boolean)) {
    const m = raw.toLowerCase();
    if (!(MARKERS as readonly string[]).includes(m))
      throw new UsageError(`unknown marker "${raw}"; valid markers: ${MARKERS.join(', ')}`);
    if (!markers.includes(m as Marker)) markers.push(m as Marker);
  }
  return markers;
}

/**
 * Which suites run: the named ones (all when none named), then only those with a test
 * carrying one of the markers. Within a suite the markers become a vitest tag filter.
 */
export function selectSuites(
  names: readonly SuiteDefinition[],
  markers: readonly Marker[],
  catalogue: readonly SuiteDefinition[] = SUITES,
): Selection {
  const named = names.length > 0 ? catalogue.filter((s) => names.some((n) => n.name === s.name)) : catalogue;
  const matching =
    markers.length > 0 ? named.filter((s) => s.markers.some((m) => markers.includes(m))) : [...named];
  if (matching.length === 0)
    throw new UsageError(
      `no suite carries the markers ${markers.join(', ')} among ${named.map((s) => s.name).join(', ')}; ` +
        `markers per suite: ${catalogue.map((s) => `${s.name} (${s.markers.join(', ')})`).join('; ')}`,
    );
  const ordered = [...matching.filter((s) => !s.exclusive), ...matching.filter((s) => s.exclusive)];
  return { suites: ordered, tagsFilter: markers.length > 0 ? markers.join(' || ') : undefined };
}
