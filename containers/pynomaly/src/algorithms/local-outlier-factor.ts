import { type AlgorithmDefinition, CONTAMINATION_INFO, type Detector } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { packRows } from './matrix.ts';
import { readArray, readInteger, readMatrix, readNumbers, readObject } from './state-reader.ts';
import type { Matrix } from './types.ts';

/**
 * Local outlier factor (Breunig et al., 2000) in novelty mode: the model keeps the training
 * rows with each one's k-distance and local reachability density (lrd), computed among the
 * training rows without the row itself. A new row p is compared with its k nearest training
 * rows o: reach-dist(p, o) = max(k-distance(o), d(p, o)), lrd(p) = 1 / mean reach-dist,
 * LOF(p) = mean lrd(o) / lrd(p). Euclidean distance; exactly k neighbours (ties broken by
 * row order); 1e-10 is added to mean reach-dists so duplicates do not divide by zero (as
 * scikit-learn does).
 *
 * A single small k misses a tight cluster of anomalies larger than k (its members are each
 * other's neighbours, LOF ≈ 1). So, as the paper recommends (§7, a MinPts range), the score is
 * the largest LOF over k = n_neighbors, 2·n_neighbors, 4·n_neighbors, … up to
 * max(n_neighbors, ⌈2·contamination·n⌉) (at most 256 and n - 1): a cluster of up to the
 * expected number of anomalies is then seen from outside. The model's calibration maps the
 * score to 0..1 by the training rows' empirical CDF.
 */
const DIVISION_GUARD = 1e-10;
const LARGEST_NEIGHBOURHOOD = 256;

interface LofState {
  ks: number[];
  points: number[][];
  /** k_distances[i][r]: the ks[i]-distance of training row r. */
  k_distances: number[][];
  lrd: number[][];
}

/** The neighbourhood sizes evaluated: n_neighbors doubling up to the upper bound. */
export function neighbourhoodSizes(nNeighbors: number, contamination: number, n: number): number[] {
  const cap = Math.max(1, Math.min(n - 1, LARGEST_NEIGHBOURHOOD));
  const lower = Math.min(nNeighbors, n - 1);
  const upper = Math.min(Math.max(lower, Math.ceil(2 * contamination * n)), cap);
  const ks: number[] = [];
  for (let k = lower; k < upper; k *= 2) ks.push(k);
  ks.push(upper);
  return ks;
}

/** Buffers reused across queries (one detector scores one row at a time). */
interface Scratch {
  /** A max-heap of the k nearest so far, by (squared distance, index). */
  heapDistance: Float64Array;
  heapIndex: Int32Array;
  /** The query row as a Float64Array, so the distance loop sees one array type only. */
  query: Float64Array;
}

function scratchFor(k: number, width: number): Scratch {
  return { heapDistance: new Float64Array(k), heapIndex: new Int32Array(k), query: new Float64Array(width) };
}

/**
 * Indices and distances of the k nearest packed rows to `query`, nearest first (ties by row
 * index), skipping index `skip`: one pass keeping a bounded max-heap of the k best.
 */
function nearest(
  packed: Float64Array,
  width: number,
  count: number,
  query: Float64Array,
  queryOffset: number,
  k: number,
  skip: number,
  scratch: Scratch,
): { indices: Int32Array; distances: Float64Array } {
  const heapDistance = scratch.heapDistance;
  const heapIndex = scratch.heapIndex;
  let size = 0;
  for (let i = 0; i < count; i++) {
    if (i === skip) continue;
    let sum = 0;
    const base = i * width;
    for (let j = 0; j < width; j++) {
      const diff = packed[base + j] - query[queryOffset + j];
      sum += diff * diff;
    }
    if (size < k) {
      // Sift up.
      let child = size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (heapDistance[parent] > sum || (heapDistance[parent] === sum && heapIndex[parent] > i)) break;
        heapDistance[child] = heapDistance[parent];
        heapIndex[child] = heapIndex[parent];
        child = parent;
      }
      heapDistance[child] = sum;
      heapIndex[child] = i;
    } else if (sum < heapDistance[0]) {
      // Replace the farthest and sift down (an equal distance keeps the lower index already held).
      let parent = 0;
      for (;;) {
        let largest = parent;
        let largestDistance = sum;
        let largestIndex = i;
        for (let child = 2 * parent + 1; child <= 2 * parent + 2 && child < k; child++) {
          const d = heapDistance[child];
          if (d > largestDistance || (d === largestDistance && heapIndex[child] > largestIndex)) {
            largest = child;
            largestDistance = d;
            largestIndex = heapIndex[child];
          }
        }
        if (largest === parent) break;
        heapDistance[parent] = largestDistance;
        heapIndex[parent] = largestIndex;
        parent = largest;
      }
      heapDistance[parent] = sum;
      heapIndex[parent] = i;
    }
  }
  const slots = Array.from({ length: size }, (_, s) => s).sort(
    (a, b) => heapDistance[a] - heapDistance[b] || heapIndex[a] - heapIndex[b],
  );
  const indices = new Int32Array(size);
  const distances = new Float64Array(size);
  slots.forEach((slot, s) => {
    indices[s] = heapIndex[slot];
    distances[s] = Math.sqrt(heapDistance[slot]);
  });
  return { indices, distances };
}

function fitLof(X: Matrix, parameters: Record<string, unknown>): LofState {
  const n = X.length;
  const width = X[0].length;
  const ks = neighbourhoodSizes(parameters.n_neighbors as number, parameters.contamination as number, n);
  const largest = ks[ks.length - 1];
  const packed = packRows(X);
  const scratch = scratchFor(largest, width);
  const neighbours = X.map((_, i) => nearest(packed, width, n, packed, i * width, largest, i, scratch));
  const kDistances = ks.map((k) => neighbours.map((nb) => nb.distances[k - 1]));
  const lrd = ks.map((k, level) =>
    neighbours.map((nb) => {
      let reach = 0;
      for (let s = 0; s < k; s++) reach += Math.max(kDistances[level][nb.indices[s]], nb.distances[s]);
      return 1 / (reach / k + DIVISION_GUARD);
    }),
  );
  return { ks, points: X.map((row) => [...row]), k_distances: kDistances, lrd };
}

function restoreLof(state: unknown, featureCount: number): Detector {
  const fields = readObject(state, 'state.detector');
  const points = readMatrix(fields.points, 'state.detector.points', featureCount);
  const ks = readNumbers(fields.ks, 'state.detector.ks');
  if (ks.length === 0) throw new ModelFormatError('state.detector.ks must not be empty');
  ks.forEach((k, i) => {
    readInteger(k, `state.detector.ks[${i}]`, 1);
    if (k > points.length)
      throw new ModelFormatError(`state.detector.ks[${i}] (${k}) exceeds the ${points.length} stored points`);
  });
  const kDistances = readArray(fields.k_distances, 'state.detector.k_distances', ks.length).map((row, i) =>
    readNumbers(row, `state.detector.k_distances[${i}]`, points.length),
  );
  const lrd = readArray(fields.lrd, 'state.detector.lrd', ks.length).map((row, i) =>
    readNumbers(row, `state.detector.lrd[${i}]`, points.length),
  );
  const largest = Math.max(...ks);
  const packed = packRows(points);
  const scratch = scratchFor(largest, featureCount);
  return {
    rawScores: (X) =>
      X.map((row) => {
        scratch.query.set(row);
        const { indices, distances } = nearest(
          packed,
          featureCount,
          points.length,
          scratch.query,
          0,
          largest,
          -1,
          scratch,
        );
        let score = 0;
        ks.forEach((k, level) => {
          let reach = 0;
          let neighbourDensity = 0;
          for (let s = 0; s < k; s++) {
            reach += Math.max(kDistances[level][indices[s]], distances[s]);
            neighbourDensity += lrd[level][indices[s]];
          }
          score = Math.max(score, neighbourDensity / k / (1 / (reach / k + DIVISION_GUARD)));
        });
        return score;
      }),
  };
}

export const localOutlierFactor: AlgorithmDefinition = {
  info: {
    name: 'local_outlier_factor',
    display_name: 'Local Outlier Factor',
    description:
      "Compares each row's local density with that of its k nearest training rows (Breunig et al., 2000); novelty scoring against the training set.",
    parameters: {
      n_neighbors: {
        type: 'integer',
        default: 20,
        minimum: 1,
        maximum: 1000,
        description:
          'Smallest neighbourhood k (capped at n - 1); the score is the largest LOF over k doubling up to max(k, 2·contamination·n), at most 256.',
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: false,
  fit: (X, parameters) => fitLof(X, parameters),
  restore: (state, featureCount) => restoreLof(state, featureCount),
};
