import { type Calibration, calibrate, fitCalibration, readCalibration } from './calibration.ts';
import { decide, thresholdFor } from './decision.ts';
import type { Detector, MemberFactory, MemberModel } from './definition.ts';
import { InvalidParametersError, ModelFormatError } from './errors.ts';
import { checkMatrix } from './matrix.ts';
import { resolveParameters } from './parameters.ts';
import { DEFINITIONS, isAlgorithmName } from './registry.ts';
import { readInteger, readNumber, readObject } from './state-reader.ts';
import type { AlgorithmName, Matrix, ModelDocument, Prediction, TrainedModel } from './types.ts';

/** The layout `toDocument` writes; `loadModel` also imports older ones. */
export const MODEL_FORMAT_VERSION = 2;

const DEFAULT_CONTAMINATION = 0.1;

/** A model document without its version: what every format version carries. */
export interface ModelBody {
  algorithm: AlgorithmName;
  parameters: Record<string, unknown>;
  feature_count: number;
  threshold: number;
  state: { detector: unknown; calibration: Calibration | null };
}

class Model implements TrainedModel, MemberModel {
  constructor(
    readonly algorithm: AlgorithmName,
    readonly parameters: Record<string, unknown>,
    readonly featureCount: number,
    readonly threshold: number,
    private readonly detector: Detector,
    private readonly detectorState: unknown,
    private readonly calibration: Calibration | null,
  ) {}

  scores(X: Matrix): number[] {
    checkMatrix(X, this.featureCount, 0);
    const raw = this.detector.rawScores(X);
    const calibration = this.calibration;
    return calibration === null ? raw : raw.map((r) => calibrate(calibration, r));
  }

  predict(X: Matrix): Prediction[] {
    return this.scores(X).map((s) => decide(s, this.threshold));
  }

  toBody(): ModelBody {
    return structuredClone({
      algorithm: this.algorithm,
      parameters: this.parameters,
      feature_count: this.featureCount,
      threshold: this.threshold,
      state: { detector: this.detectorState, calibration: this.calibration },
    });
  }

  toDocument(): ModelDocument {
    return { format_version: MODEL_FORMAT_VERSION, ...this.toBody() };
  }
}

const members: MemberFactory = {
  train: (algorithm, X, parameters, seed) => train(algorithm, X, parameters, seed),
  restore: (document, path) => {
    try {
      return restoreModel(document);
    } catch (error) {
      if (error instanceof ModelFormatError) throw new ModelFormatError(`${path}: ${error.message}`);
      throw error;
    }
  },
};

function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function train(algorithm: string, X: Matrix, parameters: Record<string, unknown>, seed: number): Model {
  const contamination =
    typeof parameters?.contamination === 'number' ? parameters.contamination : DEFAULT_CONTAMINATION;
  const resolved = resolveParameters(algorithm, parameters, { contamination });
  if (!resolved.ok) throw new InvalidParametersError(resolved.errors);
  checkMatrix(X, undefined, 2);
  const featureCount = X[0].length;
  const definition = DEFINITIONS[resolved.algorithm];
  // Score through the state as JSON would carry it (e.g. -0 becomes 0), so a model and its
  // imported document agree bit for bit.
  // random_state, when given, seeds this detector instead of the service's seed.
  const randomState = resolved.parameters.random_state;
  const effectiveSeed = typeof randomState === 'number' ? randomState : seed;
  const detectorState = asJson(definition.fit(X, resolved.parameters, effectiveSeed >>> 0, members));
  const detector = definition.restore(detectorState, featureCount, members);
  const raw = detector.rawScores(X);
  const calibration = definition.scoresInUnitInterval ? null : asJson(fitCalibration(raw));
  const scores = calibration === null ? raw : raw.map((r) => calibrate(calibration, r));
  const threshold = thresholdFor(scores, resolved.parameters.contamination as number);
  return new Model(
    resolved.algorithm,
    resolved.parameters,
    featureCount,
    threshold,
    detector,
    detectorState,
    calibration,
  );
}

/**
 * Fits `algorithm` on the rows of X (at least 2, all finite). `parameters` are completed
 * with defaults (contamination 0.1 if absent); `seed` fixes every random choice.
 * Throws InvalidParametersError or InvalidDataError.
 */
export function trainModel(
  algorithm: AlgorithmName,
  X: Matrix,
  parameters: Record<string, unknown>,
  seed: number,
): TrainedModel {
  return train(algorithm, X, parameters, seed);
}

/** Rebuilds a model from a version-neutral body; throws ModelFormatError naming the bad field. */
export function restoreModel(value: unknown): Model {
  const body = readObject(value, 'document');
  if (!isAlgorithmName(body.algorithm))
    throw new ModelFormatError(`algorithm must be one of ${Object.keys(DEFINITIONS).join(', ')}`);
  const algorithm = body.algorithm;
  const resolved = resolveParameters(algorithm, readObject(body.parameters, 'parameters'), {
    contamination: DEFAULT_CONTAMINATION,
  });
  if (!resolved.ok) throw new ModelFormatError(`parameters are invalid: ${resolved.errors.join('; ')}`);
  const featureCount = readInteger(body.feature_count, 'feature_count', 1);
  const threshold = readNumber(body.threshold, 'threshold');
  const state = readObject(body.state, 'state');
  const definition = DEFINITIONS[algorithm];
  const detectorState = structuredClone(state.detector);
  const detector = definition.restore(detectorState, featureCount, members);
  let calibration: Calibration | null = null;
  if (definition.scoresInUnitInterval) {
    if (state.calibration !== null && state.calibration !== undefined)
      throw new ModelFormatError(`state.calibration must be null for ${algorithm}`);
  } else {
    calibration = readCalibration(state.calibration, 'state.calibration');
  }
  return new Model(
    algorithm,
    resolved.parameters,
    featureCount,
    threshold,
    detector,
    detectorState,
    calibration,
  );
}

export function isModel(value: unknown): value is Model {
  return value instanceof Model;
}
