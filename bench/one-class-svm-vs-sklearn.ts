/**
 * Our one-class SVM on a labelled CSV (last column `label`), for each configuration given as
 * JSON on the command line ({ "name", "nu", "standardise" }): the decision function
 * f(x) = Σ αᵢK(xᵢ, x) - ρ of the SVM itself and the service's 0..1 anomaly score of the
 * trained model, as JSON on stdout: { "<name>": { decision: [...], score: [...] } }.
 * Called by one-class-svm-vs-sklearn.py, which computes the ROC AUCs with scikit-learn.
 *
 *   npx tsx bench/one-class-svm-vs-sklearn.ts <file.csv> '<json configurations>'
 */
import { readFileSync } from 'node:fs';
import { trainModel } from '../containers/pynomaly/src/algorithms/index.ts';
import { oneClassSvm } from '../containers/pynomaly/src/algorithms/one-class-svm.ts';

interface Configuration {
  name: string;
  nu: number;
  standardise: boolean;
}

const [file, configurationJson] = process.argv.slice(2);
if (!file || !configurationJson) {
  console.error("usage: one-class-svm-vs-sklearn.ts <file.csv> '<json configurations>'");
  process.exit(2);
}
const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
const featureCount = header.split(',').length - 1;
const raw = lines.map((line) => line.split(',').slice(0, featureCount).map(Number));

/** As scikit-learn's StandardScaler: mean 0, population standard deviation 1 per column. */
function standardised(X: number[][]): number[][] {
  const means = X[0].map((_, j) => X.reduce((s, row) => s + row[j], 0) / X.length);
  const sds = X[0].map((_, j) => Math.sqrt(X.reduce((s, row) => s + (row[j] - means[j]) ** 2, 0) / X.length));
  return X.map((row) => row.map((v, j) => (sds[j] > 0 ? (v - means[j]) / sds[j] : 0)));
}

const out: Record<string, { decision: number[]; score: number[]; seconds: number }> = {};
for (const configuration of JSON.parse(configurationJson) as Configuration[]) {
  const X = configuration.standardise ? standardised(raw) : raw;
  const parameters = { nu: configuration.nu, kernel: 'rbf', gamma: 'scale', tol: 1e-3, max_iter: -1 };
  const started = performance.now();
  const detector = oneClassSvm.restore(
    oneClassSvm.fit(X, parameters, 0, undefined as never),
    featureCount,
    undefined as never,
  );
  const model = trainModel('one_class_svm', X, { nu: configuration.nu }, 0);
  out[configuration.name] = {
    decision: detector.rawScores(X).map((r) => -r),
    score: model.scores(X),
    seconds: (performance.now() - started) / 1000,
  };
}
process.stdout.write(JSON.stringify(out));
