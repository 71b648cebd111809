import { ModelFormatError } from './errors.ts';

/**
 * Readers for the `state` of a model document: each checks one field's shape and throws a
 * ModelFormatError naming the field's path, so a bad import says exactly what is wrong.
 */
export type Fields = Record<string, unknown>;

export function readObject(value: unknown, path: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ModelFormatError(`${path} must be an object`);
  return value as Fields;
}

export function readNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ModelFormatError(`${path} must be a finite number`);
  return value;
}

export function readInteger(value: unknown, path: string, minimum = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum)
    throw new ModelFormatError(`${path} must be an integer >= ${minimum}`);
  return value;
}

export function readArray(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value)) throw new ModelFormatError(`${path} must be an array`);
  if (length !== undefined && value.length !== length)
    throw new ModelFormatError(`${path} must have ${length} entries, has ${value.length}`);
  return value;
}

export function readNumbers(value: unknown, path: string, length?: number): number[] {
  const items = readArray(value, path, length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'number' || !Number.isFinite(item))
      throw new ModelFormatError(`${path}[${i}] must be a finite number`);
  }
  return items as number[];
}

export function readAscending(value: unknown, path: string, length?: number): number[] {
  const items = readNumbers(value, path, length);
  for (let i = 1; i < items.length; i++)
    if (items[i] < items[i - 1]) throw new ModelFormatError(`${path} must be sorted ascending (index ${i})`);
  return items;
}

export function readMatrix(value: unknown, path: string, width: number, rows?: number): number[][] {
  return readArray(value, path, rows).map((row, i) => readNumbers(row, `${path}[${i}]`, width));
}
