import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import type { LoadedConfig } from './config';

/** Reads a service's task-definition template text (services.<S>.taskDefinition, relative to shipgate.yaml). */
export async function readTaskTemplate(loaded: LoadedConfig, service: string): Promise<string> {
  const templatePath = loaded.config.services[service]!.taskDefinition;
  try {
    return await readFile(resolve(loaded.dir, templatePath), 'utf8');
  } catch (error) {
    throw new ShipgateError(
      'TEMPLATE_INVALID',
      `expected a task-definition template at ${templatePath}, found ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'an unreadable file'}`,
      {
        location: { file: templatePath, path: `services.${service}.taskDefinition` },
        hint: 'Point services.<service>.taskDefinition (relative to shipgate.yaml) at a JSON template.',
      },
    );
  }
}

/** Every service's template text, by service name. */
export async function readTaskTemplates(loaded: LoadedConfig): Promise<Record<string, string>> {
  const names = Object.keys(loaded.config.services);
  const texts = await Promise.all(names.map((n) => readTaskTemplate(loaded, n)));
  return Object.fromEntries(names.map((n, i) => [n, texts[i]!]));
}
