import { describe, expect, it } from 'vitest';

// #11 item 26: apps/cli/package.json exports ./src/index.ts; the package resolves and runs.
describe('@shipgate/cli', () => {
  it('exports main, which runs a command in-process (#11.26)', async () => {
    const cli = await import('@shipgate/cli');
    const io = cli.captureOutput();
    expect(await cli.main(['--version', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ version: expect.any(String) });
  });
});
