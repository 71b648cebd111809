import { type AlgorithmDefinition, CONTAMINATION_INFO, type Detector } from './definition.ts';
import { ModelFormatError } from './errors.ts';
import { type Random, randomInt, sampleWithoutReplacement, seededRandom } from './random.ts';
import { readArray, readInteger, readNumbers, readObject } from './state-reader.ts';
import type { Matrix } from './types.ts';

/**
 * Isolation forest (Liu, Ting & Zhou, 2008). Each tree isolates a subsample of ψ rows drawn
 * without replacement, splitting on a random feature at a uniform random value between that
 * feature's min and max in the node, down to ceil(log2 ψ) levels. A row's path length is its
 * depth plus c(size) of the external node it lands in; its score is 2^(-E(h)/c(ψ)), already
 * in 0..1 (0.5 when E(h) = c(ψ)), so it is used as the anomaly score as it is.
 *
 * Only features that vary within a node are chosen (as scikit-learn's extra-trees splitter
 * does); a node with none left is external. Split values are rounded to the shortest decimal
 * within 1e-4 of the node's range, which keeps model documents small.
 */
const EULER_GAMMA = 0.5772156649;

/** c(n): average path length of an unsuccessful BST search among n points (c(1) = 0, c(2) = 1). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** s(x, ψ) = 2^(-E(h(x)) / c(ψ)). */
export function isolationScore(meanPathLength: number, sampleSize: number): number {
  return 2 ** (-meanPathLength / averagePathLength(sampleSize));
}

/**
 * One tree in preorder: `feature[i]` is the split feature of node i, or -1 for an external
 * node; `value[i]` is its split value (rows with x < value go left, to node i + 1), or the
 * number of training rows that reached the external node.
 */
interface TreeState {
  feature: number[];
  value: number[];
}

interface ForestState {
  sample_size: number;
  trees: TreeState[];
}

/**
 * The shortest decimal within 1e-4 of the node's range from the drawn value (so the split
 * stays uniform in effect) that still splits the node (low < value <= high).
 */
function shortestSplit(raw: number, low: number, high: number): number {
  const tolerance = (high - low) * 1e-4;
  for (let digits = 3; digits <= 17; digits++) {
    const candidate = Number(raw.toPrecision(digits));
    if (candidate > low && candidate <= high && Math.abs(candidate - raw) <= tolerance) return candidate;
  }
  return raw;
}

function growTree(
  X: Matrix,
  rows: number[],
  heightLimit: number,
  random: Random,
  features: readonly number[],
): TreeState {
  const feature: number[] = [];
  const value: number[] = [];
  const grow = (members: number[], depth: number) => {
    const node = feature.length;
    feature.push(-1);
    value.push(members.length);
    if (depth >= heightLimit || members.length <= 1) return;
    const varying: number[] = [];
    const lows: number[] = [];
    const highs: number[] = [];
    for (const j of features) {
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (const r of members) {
        const x = X[r][j];
        if (x < low) low = x;
        if (x > high) high = x;
      }
      if (high > low) {
        varying.push(j);
        lows.push(low);
        highs.push(high);
      }
    }
    if (varying.length === 0) return;
    const pick = randomInt(random, varying.length);
    const j = varying[pick];
    const split = shortestSplit(lows[pick] + random() * (highs[pick] - lows[pick]), lows[pick], highs[pick]);
    feature[node] = j;
    value[node] = split;
    grow(
      members.filter((r) => X[r][j] < split),
      depth + 1,
    );
    grow(
      members.filter((r) => X[r][j] >= split),
      depth + 1,
    );
  };
  grow(rows, 0);
  return { feature, value };
}

/**
 * scikit-learn's options: max_samples 'auto' is min(256, n); bootstrap draws each tree's rows
 * with replacement; max_features < 1 grows each tree on max(1, floor(max_features·d)) features
 * drawn without replacement. With the defaults no extra random number is drawn, so a forest
 * grown with them is the same as before these options existed.
 */
function fitForest(X: Matrix, parameters: Record<string, unknown>, seed: number): ForestState {
  const random = seededRandom(seed);
  const requested = parameters.max_samples === 'auto' ? 256 : (parameters.max_samples as number);
  const sampleSize = Math.min(requested, X.length);
  const heightLimit = Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const width = X[0].length;
  const allFeatures = Array.from({ length: width }, (_, j) => j);
  const featureShare = parameters.max_features as number;
  const featureCount = Math.max(1, Math.floor(featureShare * width));
  const trees: TreeState[] = [];
  for (let t = 0; t < (parameters.n_estimators as number); t++) {
    const rows = parameters.bootstrap
      ? Array.from({ length: sampleSize }, () => randomInt(random, X.length))
      : sampleWithoutReplacement(random, X.length, sampleSize);
    const features =
      featureCount < width
        ? sampleWithoutReplacement(random, width, featureCount).sort((a, b) => a - b)
        : allFeatures;
    trees.push(growTree(X, rows, heightLimit, random, features));
  }
  return { sample_size: sampleSize, trees };
}

/** A tree with explicit right-child links, decoded from preorder. */
interface CompiledTree {
  feature: Int32Array;
  value: Float64Array;
  right: Int32Array;
  /** depth-independent part of the path length at external nodes: c(size). */
  leafAdjustment: Float64Array;
}

function compileTree(tree: TreeState, path: string, featureCount: number): CompiledTree {
  const n = tree.feature.length;
  const right = new Int32Array(n).fill(-1);
  const leafAdjustment = new Float64Array(n);
  // Walk preorder: each internal node's left subtree starts right after it; its right
  // subtree starts where the left one ends.
  const walk = (i: number): number => {
    if (i >= n) throw new ModelFormatError(`${path} is truncated (node ${i} missing)`);
    const f = tree.feature[i];
    if (f === -1) {
      if (!Number.isInteger(tree.value[i]) || tree.value[i] < 0)
        throw new ModelFormatError(`${path}.value[${i}] must be a leaf size (integer >= 0)`);
      leafAdjustment[i] = averagePathLength(tree.value[i]);
      return i + 1;
    }
    if (!Number.isInteger(f) || f < 0 || f >= featureCount)
      throw new ModelFormatError(`${path}.feature[${i}] must be -1 or a feature index below ${featureCount}`);
    const rightStart = walk(i + 1);
    right[i] = rightStart;
    return walk(rightStart);
  };
  if (walk(0) !== n) throw new ModelFormatError(`${path} has nodes after the end of the tree`);
  return {
    feature: Int32Array.from(tree.feature),
    value: Float64Array.from(tree.value),
    right,
    leafAdjustment,
  };
}

function pathLength(tree: CompiledTree, row: readonly number[]): number {
  let node = 0;
  let depth = 0;
  while (tree.feature[node] !== -1) {
    node = row[tree.feature[node]] < tree.value[node] ? node + 1 : tree.right[node];
    depth++;
  }
  return depth + tree.leafAdjustment[node];
}

function restoreForest(state: unknown, featureCount: number): Detector {
  const fields = readObject(state, 'state.detector');
  const sampleSize = readInteger(fields.sample_size, 'state.detector.sample_size', 1);
  const trees = readArray(fields.trees, 'state.detector.trees').map((raw, t) => {
    const path = `state.detector.trees[${t}]`;
    const tree = readObject(raw, path);
    const feature = readNumbers(tree.feature, `${path}.feature`);
    const value = readNumbers(tree.value, `${path}.value`, feature.length);
    return compileTree({ feature, value }, path, featureCount);
  });
  if (trees.length === 0) throw new ModelFormatError('state.detector.trees must not be empty');
  return {
    rawScores: (X) =>
      X.map((row) => {
        let total = 0;
        for (const tree of trees) total += pathLength(tree, row);
        return isolationScore(total / trees.length, sampleSize);
      }),
  };
}

export const isolationForest: AlgorithmDefinition = {
  info: {
    name: 'isolation_forest',
    display_name: 'Isolation Forest',
    description:
      'Random trees isolate each row; rows isolated in few splits are anomalous. Score 2^(-E(h)/c(ψ)) (Liu et al., 2008).',
    parameters: {
      n_estimators: {
        type: 'integer',
        default: 100,
        minimum: 1,
        maximum: 1000,
        description: 'Number of trees.',
      },
      max_samples: {
        type: 'integer',
        default: 256,
        minimum: 2,
        maximum: 100000,
        alternatives: ['auto'],
        description:
          "Rows drawn for each tree (capped at the number of training rows); 'auto' is 256 (scikit-learn's).",
      },
      max_features: {
        type: 'number',
        default: 1,
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 1,
        description:
          'Share of the features each tree may split on, in (0, 1]: max(1, floor(share·d)) drawn per tree.',
      },
      bootstrap: {
        type: 'boolean',
        default: false,
        description: "Draw each tree's rows with replacement instead of without.",
      },
      contamination: CONTAMINATION_INFO,
    },
  },
  scoresInUnitInterval: true,
  fit: (X, parameters, seed) => fitForest(X, parameters, seed),
  restore: (state, featureCount) => restoreForest(state, featureCount),
};
