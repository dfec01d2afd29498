import { z } from 'zod';
import { configSchema } from './schema';

/** The JSON Schema of shipgate.yaml, for editors (yaml-language-server) and other tools. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://shipgate.dev/schema/shipgate.schema.json', title: 'shipgate.yaml' };
}
