import { configJsonSchema } from '@shipgate/model';
import { defineCommand } from '../command';

/** `shipgate config schema`: the JSON Schema that editors use to complete and check shipgate.yaml. */
export const command = defineCommand({
  name: 'config schema',
  usage: 'shipgate config schema',
  description:
    'Point your editor at it, e.g. with the YAML extension: `# yaml-language-server: $schema=./shipgate.schema.json` as the first line of shipgate.yaml.',
  examples: ['shipgate config schema > shipgate.schema.json'],
  options: {},
  async run() {
    const schema = configJsonSchema();
    return { json: schema, human: JSON.stringify(schema, null, 2) };
  },
});
