import { defineCommand } from '../command';

/** `shipgate config validate`: every problem at once, each with its path and line; exit 2 on any. */
export const command = defineCommand({
  name: 'config validate',
  usage: 'shipgate config validate [--config FILE]',
  examples: ['shipgate config validate', 'shipgate config validate --config deploy/shipgate.yaml --json'],
  options: {},
  async run(ctx) {
    const loaded = await ctx.config();
    const { services, environments } = loaded.config;
    const envNames = Object.keys(environments);
    return {
      json: { valid: true, file: loaded.file, services: Object.keys(services), environments: envNames },
      human: `${ctx.global.config} is valid: ${Object.keys(services).length} service(s) (${Object.keys(services).join(', ')}), environments ${envNames.join(' → ')}`,
    };
  },
});
