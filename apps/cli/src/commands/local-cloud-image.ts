import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';

/** `shipgate local-cloud image`: store a directory as a local-cloud image and print its pinned reference. */
export const command = defineCommand({
  name: 'local-cloud image',
  usage: 'shipgate local-cloud image --state-dir DIR --name NAME [--dir PATH] -- <command…>',
  description:
    'An image is a directory of built files plus the command that starts it, addressed by the sha256 of its content. Use the same --state-dir as `shipgate local-cloud up`.',
  examples: [
    'shipgate local-cloud image --state-dir .shipgate/cloud --name sample-service --dir dist/v1 -- node server.cjs',
  ],
  allowRest: true,
  options: {
    'state-dir': {
      type: 'string',
      placeholder: 'DIR',
      description: 'local-cloud state directory (as given to local-cloud up)',
    },
    name: { type: 'string', placeholder: 'NAME', description: 'Image name (the repository part of the reference)' },
    dir: { type: 'string', placeholder: 'PATH', default: '.', description: 'Directory of built files' },
  },
  async run(ctx) {
    const stateDir = ctx.values['state-dir'];
    const name = ctx.values.name;
    if (!stateDir || !name || ctx.rest.length === 0) {
      throw new ShipgateError(
        'USAGE',
        `local-cloud image: expected --state-dir, --name and a command after --, found ${[!stateDir && 'no --state-dir', !name && 'no --name', ctx.rest.length === 0 && 'no command'].filter(Boolean).join(', ')}`,
        {
          hint: 'For example: shipgate local-cloud image --state-dir .shipgate/cloud --name api --dir dist -- node server.cjs',
        },
      );
    }
    const { ImageStore } = await import('@shipgate/local-cloud');
    const store = new ImageStore(`${stateDir}/image-store`);
    const image = await store.build({ dir: ctx.values.dir, name, cmd: ctx.rest });
    return { json: { reference: image.reference, digest: image.digest }, human: image.reference };
  },
});
