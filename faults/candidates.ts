/**
 * Candidate faults generated from the service's code by mutation operators (as StrykerJS does):
 * each operator finds places in a route or repository file and proposes one small wrong change.
 * A candidate is an ordinary Fault (its `find` text occurs exactly once in its file) that
 * `fault-check --candidates` runs; one the suite survives shows where the suite is weak.
 * Replacements keep the file type-correct and every SQL parameter referenced, so the service
 * starts and the query still prepares: the mutant is wrong, not crashed.
 */
import type { SuiteName } from '../src/orchestrator/suites/catalog.ts';
import type { Fault } from './fault.ts';

export interface Candidate extends Fault {
  operator: string;
  /** 1-based line of the mutated text, for people. */
  line: number;
}

/** One place an operator mutates: `source.slice(index, index + length)` becomes `replacement`. */
export interface Mutation {
  index: number;
  length: number;
  replacement: string;
}

export interface Operator {
  name: string;
  description: string;
  mutate(source: string): Mutation[];
}

/** Matches of `pattern` (global) in code lines: comment lines never make a candidate. */
function matches(source: string, pattern: RegExp, replace: (m: RegExpMatchArray) => string): Mutation[] {
  const out: Mutation[] = [];
  for (const m of source.matchAll(pattern)) {
    const lineEnd = source.indexOf('\n', m.index);
    const line = source
      .slice(source.lastIndexOf('\n', m.index) + 1, lineEnd === -1 ? undefined : lineEnd)
      .trimStart();
    if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) continue;
    out.push({ index: m.index, length: m[0].length, replacement: replace(m) });
  }
  return out;
}

/** A SQL parameter (`$2`, or `$${params.length}` in a template) as text. */
const PARAM = String.raw`\$(?:\d+|\$\{[^}]+\})`;

export const OPERATORS: readonly Operator[] = [
  {
    name: 'created-status',
    description: 'a create answers 200 instead of 201',
    mutate: (s) => matches(s, /\breply\.(status|code)\(201\)/g, (m) => `reply.${m[1]}(200)`),
  },
  {
    name: 'order-direction',
    description: 'ORDER BY flipped: DESC <-> ASC (no direction -> DESC)',
    mutate: (s) =>
      matches(s, /ORDER BY ([\w.]+)( DESC| ASC)?/g, (m) =>
        m[2] === ' DESC' ? `ORDER BY ${m[1]} ASC` : `ORDER BY ${m[1]} DESC`,
      ),
  },
  {
    name: 'drop-offset',
    description: 'OFFSET ignored (always 0), the parameter still bound',
    mutate: (s) => matches(s, new RegExp(`OFFSET (${PARAM})`, 'g'), (m) => `OFFSET 0 * ${m[1]}::bigint`),
  },
  {
    name: 'drop-limit',
    description: 'LIMIT ignored (NULL: every row), the parameter still bound',
    mutate: (s) =>
      matches(
        s,
        new RegExp(`LIMIT (${PARAM})`, 'g'),
        (m) => `LIMIT NULLIF(${m[1]}::bigint, ${m[1]}::bigint)`,
      ),
  },
  {
    name: 'drop-where-condition',
    description: 'one `col = $n` condition of a WHERE always true (e.g. the owner check), $n still bound',
    mutate: (s) =>
      matches(
        s,
        new RegExp(`(?<=(?:WHERE|AND) |where = ')(?:\\w+\\.)?\\w+ = (${PARAM})`, 'g'),
        (m) => `(${m[1]}::text IS NOT NULL OR TRUE)`,
      ),
  },
  {
    name: 'comparison-boundary',
    description: 'a comparison boundary moved: > <-> >=, < <-> <=',
    mutate: (s) =>
      matches(s, / (>=|<=|>|<) /g, (m) => ` ${{ '>': '>=', '>=': '>', '<': '<=', '<=': '<' }[m[1]]} `),
  },
  {
    name: 'drop-plus-one',
    description: 'a `+ 1` dropped',
    mutate: (s) => matches(s, / \+ 1\b(?!\.\d)/g, () => ''),
  },
  {
    name: 'no-transaction',
    description: 'inTransaction(...) runs the work on one client without BEGIN/COMMIT/ROLLBACK',
    mutate: (s) =>
      matches(
        s,
        /\binTransaction\((?!db: Db)/g,
        () =>
          '(async <T>(db: Parameters<typeof inTransaction>[0], ' +
          'work: (c: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<T>): Promise<T> => { ' +
          'const c = await db.connect(); try { return await work(c); } finally { c.release(); } })(',
      ),
  },
  {
    name: 'not-found-500',
    description: 'a 404 guard throws a plain Error (500) instead of the not-found error',
    mutate: (s) => [
      ...matches(s, /\bthrow notFound\(/g, () => 'throw new Error('),
      ...matches(s, /\bthrow new ApiError\(404,/g, () => 'throw new Error(String(404) +'),
    ],
  },
];

/** The suite that should catch a mutant of `file` (its area). */
export function suiteOf(file: string): SuiteName {
  if (/streaming/.test(file)) return 'streaming';
  if (/^routes\/auth\.ts$|repositories\/users\.ts$/.test(file)) return 'security';
  if (file.startsWith('db/')) return 'database';
  if (file === 'routes/meta.ts') return 'regression';
  return 'api-workflows';
}

const count = (source: string, text: string) => source.split(text).length - 1;

/**
 * The shortest text around a mutation that occurs once in `source`: the matched text, else its
 * whole line, else that line with neighbouring lines added (up to 3 either side).
 */
export function uniqueFind(source: string, m: Mutation): { find: string; replace: string } | undefined {
  const make = (start: number, end: number) => {
    const find = source.slice(start, end);
    const at = m.index - start;
    return { find, replace: find.slice(0, at) + m.replacement + find.slice(at + m.length) };
  };
  if (count(source, source.slice(m.index, m.index + m.length)) === 1)
    return make(m.index, m.index + m.length);
  const lineEnd = (from: number) => {
    const at = source.indexOf('\n', from);
    return at === -1 ? source.length : at;
  };
  let start = source.lastIndexOf('\n', m.index - 1) + 1;
  let end = lineEnd(m.index + m.length);
  for (let grow = 0; grow <= 6; grow++) {
    if (count(source, source.slice(start, end)) === 1) return make(start, end);
    // Alternately one more line above and below.
    if ((grow % 2 === 0 && start > 0) || end === source.length)
      start = source.lastIndexOf('\n', start - 2) + 1;
    else end = lineEnd(end + 1);
  }
  return undefined;
}

function slug(file: string): string {
  return file.replace(/\.ts$/, '').replace(/[^a-zA-Z0-9]+/g, '-');
}

/** Every candidate the operators make in one file (path under containers/pynomaly/src). */
export function candidatesOf(
  file: string,
  source: string,
  operators: readonly Operator[] = OPERATORS,
): Candidate[] {
  return operators.flatMap((op) =>
    op.mutate(source).flatMap((m) => {
      const unique = uniqueFind(source, m);
      if (!unique || unique.find === unique.replace) return [];
      const line = source.slice(0, m.index).split('\n').length;
      const before = source.slice(m.index, m.index + m.length);
      return [
        {
          name: `cand-${op.name}-${slug(file)}-l${line}`,
          suite: suiteOf(file),
          file,
          find: unique.find,
          replace: unique.replace,
          why: `${op.description}: \`${before}\` -> \`${m.replacement.length > 60 ? `${m.replacement.slice(0, 57)}...` : m.replacement}\` (${file}:${line})`,
          operator: op.name,
          line,
        },
      ];
    }),
  );
}

/**
 * Candidates to run: those of `operators` (all when absent), at most `limit`, taken round-robin
 * over operators (then in file order) so a small sample covers every operator.
 */
export function sampleCandidates(
  all: readonly Candidate[],
  options: { limit?: number; operators?: readonly string[] } = {},
): Candidate[] {
  const kept = all.filter((c) => !options.operators?.length || options.operators.includes(c.operator));
  const byOperator = new Map<string, Candidate[]>();
  for (const c of kept) byOperator.set(c.operator, [...(byOperator.get(c.operator) ?? []), c]);
  const queues = [...byOperator.values()];
  const out: Candidate[] = [];
  for (let round = 0; out.length < kept.length; round++)
    for (const queue of queues) if (queue[round]) out.push(queue[round]);
  return options.limit === undefined ? out : out.slice(0, options.limit);
}
