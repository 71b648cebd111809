import { ModelFormatError } from './errors.ts';
import { isModel, MODEL_FORMAT_VERSION, restoreModel } from './model.ts';
import { readObject } from './state-reader.ts';
import type { ModelDocument, TrainedModel } from './types.ts';

/**
 * Model documents, by format version:
 *
 *  2 (current): { format_version: 2, algorithm, parameters, feature_count, threshold,
 *                 state: { detector, calibration } }
 *  1 (legacy):  { format_version: 1, model_type, params, n_features, score_threshold,
 *                 model_state }, where model_state is the same { detector, calibration }.
 *
 * `loadModel` imports both; a version-1 document comes back as a model whose `toDocument`
 * writes version 2.
 */
export { MODEL_FORMAT_VERSION };

export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2];

function upgradeV1(document: Record<string, unknown>): unknown {
  const known = ['format_version', 'model_type', 'params', 'n_features', 'score_threshold', 'model_state'];
  const missing = known.filter((key) => !(key in document));
  if (missing.length > 0) throw new ModelFormatError(`format_version 1 document lacks ${missing.join(', ')}`);
  return {
    algorithm: document.model_type,
    parameters: document.params,
    feature_count: document.n_features,
    threshold: document.score_threshold,
    state: document.model_state,
  };
}

/** Imports a model document of any supported version; throws ModelFormatError naming what is wrong. */
export function loadModel(document: unknown): TrainedModel {
  const fields = readObject(document, 'document');
  const version = fields.format_version;
  if (version === undefined) throw new ModelFormatError('format_version is missing');
  if (!SUPPORTED_FORMAT_VERSIONS.includes(version as number))
    throw new ModelFormatError(
      `format_version ${JSON.stringify(version)} is not supported (supported: ${SUPPORTED_FORMAT_VERSIONS.join(', ')})`,
    );
  return restoreModel(version === 1 ? upgradeV1(fields) : fields);
}

/** The version-1 layout of a model; only for generating regression fixtures of old exports. */
export function toLegacyDocumentV1(model: TrainedModel): Record<string, unknown> {
  if (!isModel(model)) throw new TypeError('toLegacyDocumentV1 needs a model from trainModel or loadModel');
  const body = model.toBody();
  return {
    format_version: 1,
    model_type: body.algorithm,
    params: body.parameters,
    n_features: body.feature_count,
    score_threshold: body.threshold,
    model_state: body.state,
  };
}

export type { ModelDocument };
