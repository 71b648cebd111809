/**
 * Our isolation forest's anomaly scores on a labelled CSV (last column `label`), one run per
 * seed, as JSON on stdout: { "<seed>": [score, ...], ... }. Called by
 * isolation-forest-vs-sklearn.py, which computes the ROC AUCs with scikit-learn.
 *
 *   npx tsx bench/isolation-forest-vs-sklearn.ts <file.csv> <seed> [<seed> ...]
 */
import { readFileSync } from 'node:fs';
import { trainModel } from '../containers/pynomaly/src/algorithms/index.ts';

const [file, ...seedArguments] = process.argv.slice(2);
if (!file || seedArguments.length === 0) {
  console.error('usage: isolation-forest-vs-sklearn.ts <file.csv> <seed> [<seed> ...]');
  process.exit(2);
}
const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
const featureCount = header.split(',').length - 1;
const X = lines.map((line) => line.split(',').slice(0, featureCount).map(Number));

const scores: Record<string, number[]> = {};
for (const seed of seedArguments.map(Number))
  scores[seed] = trainModel('isolation_forest', X, {}, seed).scores(X);
process.stdout.write(JSON.stringify(scores));
