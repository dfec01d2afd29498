import type { AwsError } from '../contract';
import type { QueryObject, QueryValue } from './query-params';

/**
 * The type of a Query member, enough to turn its text back into what the JSON protocols carry:
 * a scalar name, `[shape]` for a `member.N` list, or `{ Member: shape }` for a structure.
 */
export type QueryShape =
  'string' | 'integer' | 'double' | 'boolean' | readonly [QueryShape] | { readonly [member: string]: QueryShape };

/**
 * Decodes Query parameters into the input a JSON-protocol handler takes, by the operation's input shape, so that
 * one implementation of an operation serves both protocols. Members the shape does not name are left out (the
 * Query parameters `Action` and `Version` among them); `invalid` builds the service's error for a malformed value.
 */
export function queryToJson(
  shape: { readonly [member: string]: QueryShape },
  params: QueryObject,
  invalid: (message: string) => AwsError,
): Record<string, unknown> {
  return decodeStructure(shape, params, '', invalid);
}

function decodeStructure(
  shape: { readonly [member: string]: QueryShape },
  value: QueryObject,
  path: string,
  invalid: (message: string) => AwsError,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, memberShape] of Object.entries(shape)) {
    if (!Object.hasOwn(value, member)) continue;
    out[member] = decode(memberShape, value[member]!, path + member, invalid);
  }
  return out;
}

function decode(shape: QueryShape, value: QueryValue, path: string, invalid: (message: string) => AwsError): unknown {
  if (Array.isArray(shape)) {
    // An empty list travels as `Name=` (an empty string).
    if (value === '') return [];
    if (!Array.isArray(value)) throw invalid(`The parameter ${path} must be a list (${path}.member.N).`);
    return value.map((item, i) => decode(shape[0], item, `${path}.member.${i + 1}`, invalid));
  }
  if (typeof shape === 'object') {
    if (typeof value !== 'object' || Array.isArray(value))
      throw invalid(`The parameter ${path} must be a structure (${path}.Name=…).`);
    return decodeStructure(shape as { readonly [member: string]: QueryShape }, value, `${path}.`, invalid);
  }
  if (typeof value !== 'string') throw invalid(`The parameter ${path} must be a single value.`);
  if (shape === 'string') return value;
  if (shape === 'boolean') {
    if (value !== 'true' && value !== 'false')
      throw invalid(`The parameter ${path} must be true or false; found '${value}'.`);
    return value === 'true';
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (shape === 'integer' && !Number.isInteger(n)))
    throw invalid(
      `The parameter ${path} must be ${shape === 'integer' ? 'an integer' : 'a number'}; found '${value}'.`,
    );
  return n;
}
