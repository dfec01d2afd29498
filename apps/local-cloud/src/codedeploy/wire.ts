import { AwsError } from '../contract';

/** A parsed JSON request body: what the SDK sent, not yet trusted. */
export type WireObject = Record<string, unknown>;

/** AWS JSON protocols carry timestamps as epoch seconds (with a fraction). */
export function epochSeconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime() / 1000;
}

/** Reads an epoch-seconds timestamp the SDK sent. */
export function readEpoch(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value !== '' && !Number.isNaN(Number(value))) return new Date(Number(value) * 1000);
  return undefined;
}

/** A string member, or undefined when absent or empty (AWS treats "" as missing for names). */
export function optString(input: WireObject, key: string, errorCode = 'InvalidInputException'): string | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new AwsError(errorCode, `${key} must be a string; found ${typeof value}.`);
  return value;
}

/** A required string member; `requiredCode` is AWS's "XxxRequiredException" for it. */
export function reqString(input: WireObject, key: string, requiredCode: string, what = key): string {
  const value = optString(input, key);
  if (value === undefined) throw new AwsError(requiredCode, `${what} is required.`);
  return value;
}

/** A boolean member. */
export function optBool(input: WireObject, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new AwsError('InvalidInputException', `${key} must be a boolean; found ${typeof value}.`);
  return value;
}

/** A number member. */
export function optNumber(input: WireObject, key: string, errorCode = 'InvalidInputException'): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AwsError(errorCode, `${key} must be a number; found ${JSON.stringify(value)}.`);
  return value;
}

/** A structure member. */
export function optObject(input: WireObject, key: string, errorCode = 'InvalidInputException'): WireObject | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new AwsError(errorCode, `${key} must be a structure.`);
  return value as WireObject;
}

/** A list member. */
export function optList(input: WireObject, key: string, errorCode = 'InvalidInputException'): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new AwsError(errorCode, `${key} must be a list.`);
  return value;
}

/** Drops undefined members so the wire body holds only what is set, as AWS's does. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Opaque pagination tokens: the offset into a stable ordering, tied to the filter that produced it. */
export function encodeNextToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url');
}

/** Reads a token made by `encodeNextToken`; a token from another listing is refused as AWS does. */
export function decodeNextToken(
  token: string | undefined,
  scope: string,
  errorCode = 'InvalidNextTokenException',
): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === 'number' && parsed.o >= 0 && parsed.s === scope) return parsed.o;
  } catch {
    // fall through to the AWS error below
  }
  throw new AwsError(
    errorCode,
    'The next token was specified in an invalid format or does not belong to this listing.',
  );
}
