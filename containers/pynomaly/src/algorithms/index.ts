/** The detection algorithms: the contract documented in ./types.ts. */
export {
  loadModel,
  MODEL_FORMAT_VERSION,
  SUPPORTED_FORMAT_VERSIONS,
  toLegacyDocumentV1,
} from './documents.ts';
export { InvalidDataError, InvalidParametersError, ModelFormatError } from './errors.ts';
export { trainModel } from './model.ts';
export { listAlgorithms, resolveParameters } from './parameters.ts';
export { ALGORITHM_NAMES } from './registry.ts';
export type * from './types.ts';
