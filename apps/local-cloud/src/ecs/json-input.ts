import { AwsError } from '../contract';

type Json = Record<string, unknown>;

/**
 * Reads an AWS JSON request the way ECS's front end does: a member of the wrong JSON type is a
 * `SerializationException` (Coral's wording), a missing required member an `InvalidParameterException`.
 */
export class JsonInput {
  constructor(
    readonly body: Json,
    private readonly path = '',
  ) {}

  /** A string member. */
  str(key: string): string | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw wrongType(v, 'String');
    return v;
  }

  /** A required, non-empty string member. */
  reqStr(key: string): string {
    const v = this.str(key);
    if (v === undefined || v === '') throw required(this.path + key);
    return v;
  }

  /** An integer member. */
  int(key: string): number | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(v, 'Integer');
    return v;
  }

  /** A boolean member. */
  bool(key: string): boolean | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw wrongType(v, 'Boolean');
    return v;
  }

  /** A list of strings. */
  strList(key: string): string[] | undefined {
    const v = this.list(key);
    if (v === undefined) return undefined;
    for (const item of v) if (typeof item !== 'string') throw wrongType(item, 'String');
    return v as string[];
  }

  /** A list of structures. */
  objList(key: string): JsonInput[] | undefined {
    const v = this.list(key);
    return v?.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw wrongType(item, 'Structure');
      return new JsonInput(item as Json, `${this.path}${key}.${i + 1}.`);
    });
  }

  /** A structure member. */
  obj(key: string): JsonInput | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(v, 'Structure');
    return new JsonInput(v as Json, `${this.path}${key}.`);
  }

  /** The raw member, for echoing back. */
  raw(key: string): unknown {
    return this.body[key];
  }

  private list(key: string): unknown[] | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw wrongType(v, 'List');
    return v;
  }
}

/** ECS's answer for a missing required member. */
export function required(name: string): AwsError {
  return new AwsError(
    'InvalidParameterException',
    `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
  );
}

function wrongType(value: unknown, expected: string): AwsError {
  const found = Array.isArray(value)
    ? 'START_ARRAY'
    : value === null
      ? 'NULL'
      : typeof value === 'object'
        ? 'START_OBJECT'
        : typeof value === 'number'
          ? 'NUMBER_VALUE'
          : typeof value === 'boolean'
            ? 'BOOLEAN_VALUE'
            : 'STRING_VALUE';
  return new AwsError(
    'SerializationException',
    `${found} can not be converted to ${expected === 'Integer' ? 'an Integer' : `a ${expected}`}`,
  );
}

/** Pages a list the way ECS list operations do: `nextToken` in and out, `maxResults` 1..maxLimit (ListServices defaults to 10). */
export function pageTokens<T>(
  items: T[],
  input: JsonInput,
  maxLimit = 100,
  defaultSize = maxLimit,
): { page: T[]; nextToken: string | undefined } {
  const max = input.int('maxResults');
  if (max !== undefined && (max < 1 || max > maxLimit))
    throw new AwsError('InvalidParameterException', `maxResults must be between 1 and ${maxLimit}.`);
  const token = input.str('nextToken');
  let start = 0;
  if (token !== undefined) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const m = /^ecs-page:(\d+)$/.exec(decoded);
    if (!m) throw new AwsError('InvalidParameterException', 'Invalid token');
    start = Number(m[1]);
  }
  const size = max ?? defaultSize;
  const page = items.slice(start, start + size);
  const nextToken =
    start + size < items.length ? Buffer.from(`ecs-page:${start + size}`).toString('base64') : undefined;
  return { page, nextToken };
}
