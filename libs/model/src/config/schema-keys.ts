import type { z } from 'zod';

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, unknown>;
      innerType?: unknown;
      valueType?: unknown;
      element?: unknown;
      in?: unknown;
    };
  };
}

/** The keys an object schema accepts at a config path, for did-you-mean hints on unknown keys. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: ZodInternals | undefined = schema as unknown as ZodInternals;
  const unwrap = (s: ZodInternals | undefined): ZodInternals | undefined => {
    let node = s;
    while (node && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'pipe'].includes(node._zod.def.type)) {
      node = (node._zod.def.innerType ?? node._zod.def.in) as ZodInternals | undefined;
    }
    return node;
  };
  for (const segment of path) {
    current = unwrap(current);
    if (!current) return [];
    const def = current._zod.def;
    if (def.type === 'object') current = def.shape?.[String(segment)] as ZodInternals | undefined;
    else if (def.type === 'record') current = def.valueType as ZodInternals | undefined;
    else if (def.type === 'array') current = def.element as ZodInternals | undefined;
    else return [];
  }
  current = unwrap(current);
  return current?._zod.def.type === 'object' ? Object.keys(current._zod.def.shape ?? {}) : [];
}
