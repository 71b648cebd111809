import { standardDeviation } from 'simple-statistics';
import { median } from './matrix.ts';

/** MAD → σ for normal data. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * A positive spread for one feature: 1.4826·MAD; when more than half the values are equal
 * (MAD = 0) the standard deviation; for a constant feature 1, so deviations from it are
 * measured in the feature's own units instead of dividing by zero.
 */
export function robustScale(values: readonly number[], centre = median(values)): number {
  const mad = median(values.map((v) => Math.abs(v - centre))) * MAD_TO_SIGMA;
  if (mad > 0) return mad;
  const sd = values.length > 1 ? standardDeviation([...values]) : 0;
  return sd > 0 ? sd : 1;
}
