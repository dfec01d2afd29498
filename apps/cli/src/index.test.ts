import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as cli from './index';

// #11 item 26: apps/cli/package.json exports ./src/index.ts, which exists and runs shipgate in-process.
describe('@shipgate/cli', () => {
  it('exports, from the file its package.json names, a main that runs a command (#11.26)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(new URL(`../${pkg.exports['.']}`, import.meta.url).pathname).toBe(
      new URL('./index.ts', import.meta.url).pathname,
    );
    const io = cli.captureOutput();
    expect(await cli.main(['--version', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ version: expect.any(String) });
  });
});
