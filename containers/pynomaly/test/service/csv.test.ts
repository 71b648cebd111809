import { describe, expect, test } from 'vitest';
import {
  CsvProblem,
  exportCell,
  MAX_CELL_CHARS,
  MAX_COLUMNS,
  parseCsv,
  toCsv,
  typedCell,
} from '../../src/services/csv.ts';

const parse = (text: string) => parseCsv(Buffer.from(text, 'utf8'));

function problemOf(run: () => unknown): CsvProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvProblem) return error;
    throw error;
  }
  throw new Error('expected a CsvProblem');
}

describe('dataset shape limits', () => {
  test(`more than ${MAX_COLUMNS} columns are refused, naming the limit`, () => {
    const header = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: MAX_COLUMNS + 1 }, () => '1').join(',');
    const problem = problemOf(() => parse(`${header}\n${row}\n`));
    expect(problem.kind).toBe('over-limit');
    expect(problem.message).toContain(`at most ${MAX_COLUMNS}`);
  });

  // csv-parse spends seconds on one record of 100,000 fields: the limit is checked before it.
  test('a data record wider than the limit is refused with its line, quotes respected', () => {
    const wide = Array.from({ length: MAX_COLUMNS + 1 }, () => '1').join(',');
    const problem = problemOf(() => parse(`a,b\n"x,\ny",2\n${wide}\n`));
    expect(problem.kind).toBe('over-limit');
    expect(problem.line).toBe(4);
    expect(parse(`a,b\n"${'x,'.repeat(MAX_COLUMNS)}",2\n`).rows).toHaveLength(1);
  });

  test(`a cell longer than ${MAX_CELL_CHARS} characters is refused with its line`, () => {
    const problem = problemOf(() => parse(`a,b\n1,2\n3,${'9'.repeat(MAX_CELL_CHARS + 1)}\n`));
    expect(problem.kind).toBe('over-limit');
    expect(problem.line).toBe(3);
  });

  // The number pattern once backtracked over every split of a digit run: 100 KB took 30 s.
  test('a long digit run that is not a number is read as text', () => {
    const text = `${'1'.repeat(100_000)}x`;
    expect(typedCell(text)).toBe(text);
    expect(typedCell('12.5e3')).toBe(12500);
    expect(typedCell('.5')).toBe(0.5);
    expect(typedCell('7.')).toBe(7);
  });
});

describe('parseCsv', () => {
  test('header, typed cells, quoted fields, BOM', () => {
    const table = parse('\ufeffa,b,c\n1,"x,y",\n-2.5e1,+3,text\n');
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      [1, 'x,y', null],
      [-25, 3, 'text'],
    ]);
  });

  test('a record with the wrong number of fields is reported with its file line', () => {
    const lines = ['a,b,c', ...Array.from({ length: 900 }, (_, i) => `${i},1,2`)];
    lines.splice(801, 0, '1.0,2.0');
    const problem = problemOf(() => parse(`${lines.join('\n')}\n`));
    expect(problem.kind).toBe('malformed');
    expect(problem.line).toBe(802);
    expect(problem.message).toContain('line 802');
    expect(problem.message).toContain('expected 3 fields, found 2');
  });

  test('binary content is refused as binary', () => {
    expect(problemOf(() => parseCsv(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).kind).toBe('binary');
    expect(problemOf(() => parseCsv(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(16, 0x90)]))).kind).toBe(
      'binary',
    );
    expect(problemOf(() => parse('a,b\n1,\u00002\n')).kind).toBe('binary');
  });

  test('empty files, missing data rows, blank or repeated column names are malformed', () => {
    expect(problemOf(() => parse('')).kind).toBe('empty');
    expect(problemOf(() => parse('a,b\n')).kind).toBe('empty');
    expect(problemOf(() => parse('a,,c\n1,2,3\n')).line).toBe(1);
    expect(problemOf(() => parse('a,a\n1,2\n')).message).toContain('repeats');
  });

  test('an unclosed quote is malformed and names a line', () => {
    const problem = problemOf(() => parse('a,b\n1,2\n3,"open\n'));
    expect(problem.kind).toBe('malformed');
    expect(problem.message).toMatch(/line \d+/);
  });
});

describe('cells and export', () => {
  test('typedCell reads numbers only when the whole cell is one', () => {
    expect(typedCell(' 4.5 ')).toBe(4.5);
    expect(typedCell('1e3')).toBe(1000);
    expect(typedCell('-2+3')).toBe('-2+3');
    expect(typedCell('0x10')).toBe('0x10');
    expect(typedCell('')).toBeNull();
  });

  test('formula-like text is neutralised on export; numbers are not', () => {
    expect(exportCell('=cmd|x')).toBe("'=cmd|x");
    expect(exportCell('@SUM(1:1)')).toBe("'@SUM(1:1)");
    expect(exportCell('+1+1')).toBe("'+1+1");
    expect(exportCell(-3)).toBe('-3');
    expect(exportCell('a,b')).toBe('"a,b"');
    expect(
      toCsv(
        ['v', 'c'],
        [
          [1, '-2+3'],
          [2, null],
        ],
      ),
    ).toBe("v,c\n1,'-2+3\n2,\n");
  });
});
