import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { renderJunit } from '../../../src/orchestrator/reports/junit.ts';
import { sampleRecord } from './fixtures.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

describe('merged JUnit XML', () => {
  const xml = renderJunit(sampleRecord());

  test('is well-formed XML even with ANSI codes, NUL and markup in messages', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u001b');
    expect(xml).not.toContain('\u0000');
  });

  test('one testsuite per suite with counts that add up; names survive escaping', () => {
    const doc = parser.parse(xml);
    const suites = doc.testsuites.testsuite as Record<string, unknown>[];
    expect(suites.map((s) => s.name)).toEqual(['database', 'security', 'streaming', 'performance']);
    const security = suites[1] as {
      tests: string;
      failures: string;
      testcase: { name: string; failure?: { message: string } }[];
    };
    expect(security.tests).toBe('2');
    expect(security.failures).toBe('1');
    expect(security.testcase[0].name).toBe(`rejects <script>alert("x")</script> & 'quotes'`);
    expect(security.testcase[0].failure!.message).toBe('AssertionError: expected <b> & "c"');
    expect(doc.testsuites.tests).toBe('7');
    expect(doc.testsuites.failures).toBe('1');
    expect(doc.testsuites.errors).toBe('1');
  });

  test('a timed-out suite carries an error testcase; a suite never run a skipped one', () => {
    const doc = parser.parse(xml);
    const [, , streaming, performance] = doc.testsuites.testsuite as {
      errors: string;
      skipped: string;
      testcase: { name: string; error?: { type: string; message: string }; skipped?: unknown }[];
    }[];
    expect(streaming.errors).toBe('1');
    const timeout = streaming.testcase.find((t) => t.error)!;
    expect(timeout.name).toBe('(suite timed out)');
    expect(timeout.error!.type).toBe('timed_out');
    expect(timeout.error!.message).toContain('--timeout');
    expect(performance.skipped).toBe('1');
    expect(performance.testcase[0].skipped).toBeDefined();
  });
});

/**
 * What GitLab's JUnit parser takes from a report (Gitlab::Ci::Parsers::Test::Junit): every
 * testsuite's testcases, with name, classname, file and time, and a status from the child element
 * (failure → failed, error → error, skipped → skipped, none → success).
 */
function asGitlabReadsIt(xml: string) {
  const doc = parser.parse(xml);
  return (doc.testsuites.testsuite as { testcase?: Record<string, unknown>[] }[]).flatMap((suite) =>
    (suite.testcase ?? []).map((c) => ({
      name: c.name,
      classname: c.classname,
      file: c.file,
      time: Number(c.time),
      status: 'failure' in c ? 'failed' : 'error' in c ? 'error' : 'skipped' in c ? 'skipped' : 'success',
      failure: (c.failure as { message?: string } | undefined)?.message,
    })),
  );
}

describe('JUnit as GitLab reads it', () => {
  test('every test of the run is a case with its file, time and status; the failure keeps its message', () => {
    const record = sampleRecord();
    const cases = asGitlabReadsIt(renderJunit(record));
    const tests = record.results.flatMap((r) => r.tests);
    for (const t of tests) {
      const found = cases.find((c) => c.name === t.name && c.file === t.file);
      expect(found, `${t.file} › ${t.name}`).toBeDefined();
      expect(found!.status).toBe(
        t.status === 'passed' ? 'success' : t.status === 'failed' ? 'failed' : 'skipped',
      );
      expect(found!.time).toBeCloseTo(t.durationMs / 1000, 3);
    }
    const failed = cases.find((c) => c.status === 'failed')!;
    expect(failed.failure).toMatch(/^AssertionError: expected <b> & "c"/);
  });
});
