import { AwsError } from '../contract';
import type { QueryObject, QueryValue } from '../server/query-params';

/** Reads AWS Query parameters with AWS's `ValidationError` answers for missing or malformed ones. */
export class QueryInput {
  constructor(readonly params: QueryObject) {}

  /** A string parameter. */
  str(name: string): string | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid(name, 'must be a string');
    return value;
  }

  /** A required string parameter (AWS: "Value null at 'name' failed to satisfy constraint: Member must not be null"). */
  reqStr(name: string): string {
    const value = this.str(name);
    if (value === undefined || value === '') throw missing(name);
    return value;
  }

  /** An integer parameter within bounds. */
  int(name: string, min: number, max: number, allowFraction = false): number | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || (!allowFraction && !Number.isInteger(value))) {
      throw new AwsError(
        'ValidationError',
        `Value '${raw}' at '${camel(name)}' failed to satisfy constraint: Member must be an integer`,
      );
    }
    if (value < min || value > max) {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${raw}' at '${camel(name)}' failed to satisfy constraint: Member must have value ${value < min ? 'greater than or equal to ' + min : 'less than or equal to ' + max}`,
      );
    }
    return value;
  }

  /** A boolean parameter (`true`/`false`). */
  bool(name: string): boolean | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false')
      throw new AwsError(
        'ValidationError',
        `Value '${raw}' at '${camel(name)}' failed to satisfy constraint: Member must be a boolean`,
      );
    return raw === 'true';
  }

  /** A list of strings (`Names.member.N`); an empty list is sent as an empty string. */
  strList(name: string): string[] | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (value === '') return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw invalid(name, 'must be a list of strings');
    return value as string[];
  }

  /** A list of structures (`Targets.member.N.Id`). */
  objList(name: string): QueryInput[] | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (value === '') return [];
    if (!Array.isArray(value) || value.some((v) => !isObject(v))) throw invalid(name, 'must be a list of structures');
    return (value as QueryObject[]).map((v) => new QueryInput(v));
  }

  /** A nested structure (`ForwardConfig.TargetGroups…`). */
  obj(name: string): QueryInput | undefined {
    const value = this.params[name];
    if (value === undefined) return undefined;
    if (!isObject(value)) throw invalid(name, 'must be a structure');
    return new QueryInput(value);
  }
}

/** AWS's message for a missing required member. */
export function missing(name: string): AwsError {
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value null at '${camel(name)}' failed to satisfy constraint: Member must not be null`,
  );
}

function invalid(name: string, what: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value at '${camel(name)}' ${what}`);
}

function isObject(v: QueryValue | undefined): v is QueryObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// AWS names members in camelCase in its validation messages.
function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Pages a list the way ELBv2 does: `Marker` in, `NextMarker` out, `PageSize` 1..400. */
export function pageOf<T>(items: T[], input: QueryInput): { page: T[]; nextMarker: string | undefined } {
  const size = input.int('PageSize', 1, 400) ?? 400;
  const marker = input.str('Marker');
  let start = 0;
  if (marker !== undefined) {
    const decoded = Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^o:/, ''));
    if (!Buffer.from(marker, 'base64').toString('utf8').startsWith('o:') || !Number.isInteger(decoded) || decoded < 0)
      throw new AwsError('ValidationError', `The marker '${marker}' is not valid`);
    start = decoded;
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`o:${start + size}`).toString('base64') : undefined;
  return { page, nextMarker: next };
}
