import { describe, expect, test } from 'vitest';
import {
  ALGORITHM_NAMES,
  loadModel,
  MODEL_FORMAT_VERSION,
  ModelFormatError,
  toLegacyDocumentV1,
  trainModel,
} from '../../src/algorithms/index.ts';
import { upstreamSample } from './sample-data.ts';

const { X } = upstreamSample(8, 400, 0.05);
const probes = [...X.slice(0, 40), [0.5, 0.3, 0.1], [5, 4.8, 3.2], [8, 8, 8], [-7, 3, 0]];

describe.each(ALGORITHM_NAMES)('%s model documents', (algorithm) => {
  const model = trainModel(algorithm, X, { contamination: 0.08 }, 5);
  const document = model.toDocument();

  test('the current format carries version, algorithm, parameters, feature count and threshold', () => {
    expect(MODEL_FORMAT_VERSION).toBe(2);
    expect(document).toMatchObject({
      format_version: 2,
      algorithm,
      parameters: expect.objectContaining({ contamination: 0.08 }),
      feature_count: 3,
      threshold: model.threshold,
    });
  });

  test('JSON → loadModel scores bit-identically and writes the same document', () => {
    const loaded = loadModel(JSON.parse(JSON.stringify(document)));
    expect(loaded.algorithm).toBe(algorithm);
    expect(loaded.featureCount).toBe(3);
    expect(loaded.threshold).toBe(model.threshold);
    expect(loaded.parameters).toEqual(model.parameters);
    expect(loaded.scores(probes)).toEqual(model.scores(probes));
    expect(loaded.predict(probes)).toEqual(model.predict(probes));
    expect(loaded.toDocument()).toEqual(document);
  });

  test('a format-version-1 document still imports, scores identically and upgrades to version 2', () => {
    const legacy = JSON.parse(JSON.stringify(toLegacyDocumentV1(model)));
    expect(legacy).toMatchObject({
      format_version: 1,
      model_type: algorithm,
      n_features: 3,
      score_threshold: model.threshold,
    });
    expect(legacy).not.toHaveProperty('algorithm');
    const loaded = loadModel(legacy);
    expect(loaded.scores(probes)).toEqual(model.scores(probes));
    expect(loaded.toDocument()).toEqual(document);
  });

  test('the exported document is a copy: mutating it does not change the model', () => {
    const before = model.scores(probes);
    const copy = model.toDocument();
    (copy.parameters as Record<string, unknown>).contamination = 0.5;
    copy.threshold = 0;
    expect(model.scores(probes)).toEqual(before);
    expect(model.parameters.contamination).toBe(0.08);
  });
});

describe('loadModel refuses what it cannot import, saying why', () => {
  const document = JSON.parse(
    JSON.stringify(trainModel('isolation_forest', X, { n_estimators: 3 }, 1).toDocument()),
  );
  const withChange = (change: (d: Record<string, unknown>) => void) => {
    const copy = structuredClone(document);
    change(copy);
    return copy;
  };

  test.each([
    ['not an object', 'garbage', /document must be an object/],
    ['null', null, /document must be an object/],
    ['no version', withChange((d) => delete d.format_version), /format_version is missing/],
    [
      'a future version',
      withChange((d) => (d.format_version = 3)),
      /format_version 3 is not supported \(supported: 1, 2\)/,
    ],
    [
      'a version as string',
      withChange((d) => (d.format_version = '2')),
      /format_version "2" is not supported/,
    ],
    ['an unknown algorithm', withChange((d) => (d.algorithm = 'deep_magic')), /algorithm must be one of/],
    [
      'bad parameters',
      withChange((d) => ((d.parameters as Record<string, unknown>).n_estimators = -1)),
      /parameters are invalid: n_estimators must be >= 1/,
    ],
    ['no feature count', withChange((d) => delete d.feature_count), /feature_count must be an integer/],
    [
      'a non-numeric threshold',
      withChange((d) => (d.threshold = 'high')),
      /threshold must be a finite number/,
    ],
    ['no state', withChange((d) => delete d.state), /state must be an object/],
    [
      'a truncated tree',
      withChange((d) => {
        const tree = (d.state as { detector: { trees: { feature: number[]; value: number[] }[] } }).detector
          .trees[0];
        tree.feature.pop();
        tree.value.pop();
      }),
      /state\.detector\.trees\[0\]/,
    ],
    [
      'a split on a feature the model does not have',
      withChange((d) => {
        (d.state as { detector: { trees: { feature: number[] }[] } }).detector.trees[0].feature[0] = 7;
      }),
      /feature\[0\] must be -1 or a feature index below 3/,
    ],
    [
      'a v1 document without model_state',
      { format_version: 1, model_type: 'zscore' },
      /format_version 1 document lacks/,
    ],
  ])('%s', (_, value, message) => {
    expect(() => loadModel(value)).toThrow(ModelFormatError);
    expect(() => loadModel(value)).toThrow(message);
  });

  test('a calibrated algorithm without its calibration is refused', () => {
    const zscore = JSON.parse(JSON.stringify(trainModel('zscore', X, {}, 1).toDocument()));
    delete zscore.state.calibration;
    expect(() => loadModel(zscore)).toThrow(/state\.calibration must be an object/);
  });

  test('a broken ensemble member is named by its path', () => {
    const ensemble = JSON.parse(
      JSON.stringify(trainModel('ensemble', X, { algorithms: ['zscore', 'hbos'] }, 1).toDocument()),
    );
    ensemble.state.detector.members[1].model.state.detector.histograms = [];
    expect(() => loadModel(ensemble)).toThrow(
      /state\.detector\.members\[1\]\.model: state\.detector\.histograms must have 3 entries/,
    );
  });
});
