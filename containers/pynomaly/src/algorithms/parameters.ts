import { RANDOM_STATE_INFO } from './definition.ts';
import { ALGORITHM_NAMES, DEFINITIONS, isAlgorithmName } from './registry.ts';
import type { AlgorithmInfo, AlgorithmName, ParameterInfo } from './types.ts';

export type ResolvedParameters =
  | { ok: true; algorithm: AlgorithmName; parameters: Record<string, unknown> }
  | { ok: false; errors: string[] };

/**
 * Every algorithm with its parameters (types, defaults, ranges), `contamination` included.
 * `defaults.contamination`, when given, is shown as contamination's default (the service's
 * configured rate, which resolveParameters fills in).
 */
export function listAlgorithms(defaults?: { contamination: number }): AlgorithmInfo[] {
  return ALGORITHM_NAMES.map((name) => {
    const info = structuredClone(DEFINITIONS[name].info);
    info.parameters = declaredParameters(name);
    if (defaults) info.parameters.contamination.default = defaults.contamination;
    return info;
  });
}

/** The parameters `name` accepts: its own and random_state, which every algorithm takes. */
function declaredParameters(name: AlgorithmName): Record<string, ParameterInfo> {
  return structuredClone({ ...DEFINITIONS[name].info.parameters, random_state: RANDOM_STATE_INFO });
}

function checkValue(name: string, info: ParameterInfo, value: unknown): string | null {
  if (info.type === 'array') {
    if (!Array.isArray(value)) return `${name} must be an array`;
    if (value.length === 0) return `${name} must not be empty`;
    const allowed = info.enum ?? [];
    const unknown = value.filter((v) => typeof v !== 'string' || !allowed.includes(v));
    if (unknown.length > 0)
      return `${name} has unsupported entries ${JSON.stringify(unknown)} (allowed: ${allowed.join(', ')})`;
    if (new Set(value).size !== value.length) return `${name} must not repeat an entry`;
    return null;
  }
  if (info.type === 'boolean') return typeof value === 'boolean' ? null : `${name} must be true or false`;
  if (typeof value === 'string' && info.alternatives) {
    if (!info.alternatives.includes(value))
      return `${name} must be a number or one of ${info.alternatives.join(', ')}`;
    return null;
  }
  if (info.type === 'string') {
    if (typeof value !== 'string') return `${name} must be a string`;
    if (info.enum && !info.enum.includes(value)) return `${name} must be one of ${info.enum.join(', ')}`;
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a finite number`;
  if (info.type === 'integer' && !Number.isInteger(value)) return `${name} must be an integer`;
  // contamination's lower bound is exclusive: a threshold above every training score is useless.
  const exclusiveMinimum = name === 'contamination' || info.exclusiveMinimum === true;
  if (info.minimum !== undefined && (exclusiveMinimum ? value <= info.minimum : value < info.minimum))
    return `${name} must be ${exclusiveMinimum ? '>' : '>='} ${info.minimum}`;
  if (info.maximum !== undefined && value > info.maximum) return `${name} must be <= ${info.maximum}`;
  return null;
}

/**
 * Validates user parameters for `name` and fills in defaults (`contamination` from
 * `defaults`). Absent parameters (undefined) count as {}. Every problem is reported:
 * unknown algorithm, non-object parameters, unknown names, wrong types, values out of range.
 */
export function resolveParameters(
  name: string,
  params: unknown,
  defaults: { contamination: number },
): ResolvedParameters {
  if (!isAlgorithmName(name))
    return {
      ok: false,
      errors: [`unknown algorithm ${JSON.stringify(name)} (known: ${ALGORITHM_NAMES.join(', ')})`],
    };
  const given = params === undefined ? {} : params;
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    return { ok: false, errors: ['parameters must be a JSON object'] };
  const declared = declaredParameters(name);
  const errors: string[] = [];
  for (const key of Object.keys(given))
    if (!Object.hasOwn(declared, key))
      errors.push(
        `unknown parameter ${JSON.stringify(key)} for ${name} (accepted: ${Object.keys(declared).join(', ')})`,
      );
  const parameters: Record<string, unknown> = {};
  for (const [key, info] of Object.entries(declared)) {
    const supplied = (given as Record<string, unknown>)[key];
    const fallback = key === 'contamination' ? defaults.contamination : structuredClone(info.default);
    const value = supplied === undefined ? fallback : supplied;
    // A nullable parameter left unset (random_state) is not part of the resolved parameters.
    if (info.nullable && value === null) continue;
    const problem = checkValue(key, info, value);
    if (problem) errors.push(problem);
    else parameters[key] = Array.isArray(value) ? [...value] : value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, algorithm: name, parameters };
}
