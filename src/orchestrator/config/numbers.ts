import { UsageError } from './errors.ts';

/** Node's timers overflow above 2^31-1 ms (the timer then fires at once): --timeout stays far below. */
export const MAX_TIMEOUT_SECONDS = 86_400;

export interface NumberRule {
  flag: string;
  /** Smallest allowed value; `above` makes it exclusive (> min instead of >= min). */
  min: number;
  above?: boolean;
  max: number;
  whole: boolean;
  /** Said after the range in the error, e.g. "(the machine's cores)". */
  why?: string;
}

function rangeText(rule: NumberRule): string {
  const kind = rule.whole ? 'a whole number' : 'a number';
  const low = rule.above ? `greater than ${rule.min}` : `from ${rule.min}`;
  const high = rule.above ? `and at most ${rule.max}` : `to ${rule.max}`;
  return `${kind} ${low} ${high}${rule.why ? ` ${rule.why}` : ''}`;
}

/**
 * A numeric flag (yargs gives a number, NaN for text, an array when repeated: the last wins) or
 * its environment variable (a string); `fallback` when neither is given. Throws UsageError.
 */
export function readNumber(rule: NumberRule, raw: unknown, fallback: number): number;
export function readNumber(rule: NumberRule, raw: unknown, fallback?: number): number | undefined;
export function readNumber(rule: NumberRule, raw: unknown, fallback?: number): number | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined || value === '') return fallback;
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  const ok =
    Number.isFinite(n) &&
    (!rule.whole || Number.isInteger(n)) &&
    (rule.above ? n > rule.min : n >= rule.min) &&
    n <= rule.max;
  if (!ok) throw new UsageError(`--${rule.flag} must be ${rangeText(rule)}, got "${text}"`);
  return n;
}
