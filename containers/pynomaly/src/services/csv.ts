import { CsvError, parse } from 'csv-parse/sync';

export type Cell = number | string | null;

export interface ParsedTable {
  columns: string[];
  rows: Cell[][];
}

/** A CSV the client sent that cannot become a dataset; `line` is 1-based in the file. */
export class CsvProblem extends Error {
  override name = 'CsvProblem';
  constructor(
    readonly kind: 'binary' | 'malformed' | 'empty' | 'over-limit',
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * Caps on a dataset's shape, checked at upload: wider tables or longer cells are refused (422)
 * before anything stores or scans them. A million columns made later per-column work explode.
 */
export const MAX_COLUMNS = 1_000;
export const MAX_CELL_CHARS = 10_000;

// Linear in the length of the text: the digits before and after the point are split by a
// literal '.', so a failed match never tries every split of a long digit run (as `\d+\.?\d*` did,
// which made one 100 KB cell stall the event loop for half a minute).
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell's value: a finite number when it reads as one, null when empty, else the text. */
export function typedCell(raw: string): Cell {
  const text = raw.trim();
  if (text === '') return null;
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
  }
  return raw;
}

/** Control characters other than tab, LF, CR and form feed betray a binary file. */
export function isControlCharacter(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0x7f;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControlCharacter(text.charCodeAt(i))) return true;
  return false;
}

/** Text that is not UTF-8, or has NUL/control bytes, is binary content however it is named. */
export function decodeText(content: Buffer): string {
  if (content.includes(0))
    throw new CsvProblem('binary', 'the file contains NUL bytes: binary content is not a CSV');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new CsvProblem('binary', 'the file is not UTF-8 text: binary content is not a CSV');
  }
  if (hasControlCharacters(text))
    throw new CsvProblem('binary', 'the file contains control characters: binary content is not a CSV');
  return text;
}

/**
 * Parses a CSV file with a header row into typed cells. Every record must have as many
 * fields as the header; the first that does not is reported with its line number.
 */
export function parseCsv(content: Buffer): ParsedTable {
  const text = decodeText(content);
  checkShape(text);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const detail =
        error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
          ? describeFieldCount(error.message)
          : error.message.replace(/^Invalid[^:]*:\s*/, '');
      throw new CsvProblem('malformed', `malformed CSV at line ${line ?? '?'}: ${detail}`, line);
    }
    throw new CsvProblem('malformed', 'malformed CSV');
  }
  if (records.length === 0) throw new CsvProblem('empty', 'the CSV is empty: a header row is required');
  const columns = records[0].map((c) => c.trim());
  if (columns.some((c) => c === ''))
    throw new CsvProblem('malformed', 'malformed CSV at line 1: every column needs a name', 1);
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column))
      throw new CsvProblem(
        'malformed',
        `malformed CSV at line 1: column ${JSON.stringify(column)} repeats`,
        1,
      );
    seen.add(column);
  }
  const rows = records.slice(1).map((record) => record.map(typedCell));
  if (rows.length === 0) throw new CsvProblem('empty', 'the CSV has a header but no data rows');
  return { columns, rows };
}

/**
 * MAX_COLUMNS and MAX_CELL_CHARS, checked in one linear pass before csv-parse sees the text:
 * csv-parse takes seconds on one record of 100,000 fields, so a wide record must never reach it.
 * Quotes only toggle whether a comma or line break separates (an escaped "" toggles twice);
 * csv-parse validates the quoting itself afterwards.
 */
function checkShape(text: string): void {
  let line = 1;
  let recordLine = 1;
  let fields = 1;
  let cell = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && c === 0x2c) {
      fields += 1;
      cell = -1;
    } else if (c === 0x0a) {
      line += 1;
      if (!quoted) {
        fields = 1;
        cell = -1;
        recordLine = line;
      }
    }
    cell += 1;
    if (fields > MAX_COLUMNS)
      throw new CsvProblem(
        'over-limit',
        `the record at line ${recordLine} has more than ${MAX_COLUMNS} fields; at most ${MAX_COLUMNS} columns are accepted`,
        recordLine,
      );
    if (cell > MAX_CELL_CHARS)
      throw new CsvProblem(
        'over-limit',
        `a cell at line ${line} has more than ${MAX_CELL_CHARS} characters; at most ${MAX_CELL_CHARS} are accepted`,
        line,
      );
  }
}

function describeFieldCount(message: string): string {
  const match = /expect (\d+), got (\d+)/.exec(message);
  return match ? `expected ${match[1]} fields, found ${match[2]}` : 'wrong number of fields';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell for export; a formula-like text is prefixed with ' so spreadsheets show it as text. */
export function exportCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly Cell[][]): string {
  const lines = [columns.map((c) => exportCell(c)).join(',')];
  for (const row of rows) lines.push(row.map(exportCell).join(','));
  return `${lines.join('\n')}\n`;
}
