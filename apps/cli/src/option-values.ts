import type { OptionSpecs } from './command';

/** Parsed flag values as `OptionValues` promises them: defaults applied, an absent boolean false, an absent list empty. */
export function completeOptionValues(
  options: OptionSpecs,
  parsed: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
): Record<string, string | boolean | string[] | undefined> {
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, value] of Object.entries(parsed)) values[name] = Array.isArray(value) ? value.map(String) : value;
  for (const [name, o] of Object.entries(options)) {
    if (values[name] !== undefined) continue;
    if (o.default !== undefined) values[name] = o.default;
    else if (o.type === 'boolean') values[name] = false;
    else if (o.multiple) values[name] = [];
  }
  return values;
}
