import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configSchema, type ShipgateConfig } from '@shipgate/model';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Parsed YAML as tests edit it: any key, any depth. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into the YAML tree freely
type YamlTree = Record<string, any>;

/** The repository's example shipgate.yaml, parsed, optionally changed by `edit` (a YAML object) first. */
export function exampleConfig(edit: (raw: YamlTree) => void = () => {}): ShipgateConfig {
  const raw = parse(readFileSync(`${root}shipgate.yaml`, 'utf8')) as YamlTree;
  edit(raw);
  return configSchema.parse(raw);
}

/** The example's task-definition templates, by service. */
export function exampleTemplates(config: ShipgateConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.services).map(([name, s]) => [name, readFileSync(`${root}${s.taskDefinition}`, 'utf8')]),
  );
}

/** The repository root (for tests that scan its sources). */
export const repositoryRoot = root;
