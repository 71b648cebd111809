/** Small dense linear algebra for covariance matrices (d is the feature count, small). */

export function meanOf(X: readonly (readonly number[])[], rows: readonly number[]): number[] {
  const width = X[0].length;
  const mean = new Array<number>(width).fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += X[r][j];
  return mean.map((v) => v / rows.length);
}

/** Covariance (divided by the row count) of the given rows around `mean`, plus `ridge`·I. */
export function covarianceOf(
  X: readonly (readonly number[])[],
  rows: readonly number[],
  mean: readonly number[],
  ridge: number,
): number[][] {
  const width = mean.length;
  const cov = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  const centred = new Array<number>(width);
  for (const r of rows) {
    for (let j = 0; j < width; j++) centred[j] = X[r][j] - mean[j];
    for (let a = 0; a < width; a++) for (let b = 0; b <= a; b++) cov[a][b] += centred[a] * centred[b];
  }
  for (let a = 0; a < width; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a][b] /= rows.length;
      cov[b][a] = cov[a][b];
    }
    cov[a][a] += ridge;
  }
  return cov;
}

/** Lower-triangular L with L·Lᵀ = A, or null when A is not positive definite. */
export function cholesky(A: readonly (readonly number[])[]): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i][j];
      for (let k = 0; k < j; k++) sum -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(sum > 0)) return null;
        L[i][i] = Math.sqrt(sum);
      } else {
        L[i][j] = sum / L[j][j];
      }
    }
  }
  return L;
}

export function logDeterminant(L: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 0; i < L.length; i++) total += 2 * Math.log(L[i][i]);
  return total;
}

/** A⁻¹ from A's Cholesky factor. */
export function inverseFromCholesky(L: readonly (readonly number[])[]): number[][] {
  const n = L.length;
  // Invert L (lower triangular), then A⁻¹ = L⁻ᵀ·L⁻¹.
  const Linv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    Linv[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= L[i][k] * Linv[k][j];
      Linv[i][j] = sum / L[i][i];
    }
  }
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += Linv[k][i] * Linv[k][j];
      inverse[i][j] = sum;
      inverse[j][i] = sum;
    }
  return inverse;
}

/** (x - μ)ᵀ P (x - μ). */
export function squaredMahalanobis(
  x: readonly number[],
  mean: readonly number[],
  precision: readonly (readonly number[])[],
): number {
  const n = mean.length;
  let total = 0;
  for (let a = 0; a < n; a++) {
    const da = x[a] - mean[a];
    let row = 0;
    for (let b = 0; b < n; b++) row += precision[a][b] * (x[b] - mean[b]);
    total += da * row;
  }
  return total;
}
