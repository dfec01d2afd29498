import { parseArgs } from 'node:util';
import { ImageStore } from './runtime/image-store';

/**
 * `build-image --state-dir DIR --name NAME [--dir .] -- node server.js`: stores a directory as an image
 * in a local-cloud state dir and prints its reference. Resolves with the exit code.
 */
export async function buildImageCli(
  argv: string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  },
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'state-dir': { type: 'string' }, name: { type: 'string' }, dir: { type: 'string', default: '.' } },
    });
    if (!values['state-dir'] || !values.name || positionals.length === 0) {
      io.err('usage: build-image --state-dir DIR --name NAME [--dir DIR] -- <cmd> [args…]');
      return 2;
    }
    const store = new ImageStore(`${values['state-dir']}/image-store`);
    const image = await store.build({ dir: values.dir ?? '.', name: values.name, cmd: positionals });
    io.out(image.reference);
    return 0;
  } catch (e) {
    io.err(`build-image: ${(e as Error).message}`);
    return 1;
  }
}
