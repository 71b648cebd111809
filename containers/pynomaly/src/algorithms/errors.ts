/** A model document that cannot be imported: unknown version, missing or malformed fields. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** Training or scoring data that is not a non-empty rectangular matrix of finite numbers. */
export class InvalidDataError extends Error {
  override name = 'InvalidDataError';
}

/** Parameters that `resolveParameters` refuses; `errors` lists every problem found. */
export class InvalidParametersError extends Error {
  override name = 'InvalidParametersError';
  constructor(readonly errors: string[]) {
    super(`invalid parameters: ${errors.join('; ')}`);
  }
}
