import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../testing/run-main';

const exampleConfig = new URL('../../../../shipgate.yaml', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-console-cmd-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('shipgate console refuses before it listens (#16)', () => {
  it('another address than loopback without an access token: exit 2, saying how', async () => {
    const run = await runMain({
      config: exampleConfig,
      state: dir,
      args: ['console', '--host', '0.0.0.0', '--port', '0'],
    });
    expect(run.code).toBe(2);
    expect(run.json!.error.code).toBe('USAGE');
    expect(run.json!.error.message).toMatch(/expected --token \(or SHIPGATE_CONSOLE_TOKEN\) to listen on 0\.0\.0\.0/);
    expect(run.json!.error.hint).toMatch(/--host 127\.0\.0\.1/);
  });

  it('a short token, or a port that is no port', async () => {
    const short = await runMain({
      config: exampleConfig,
      state: dir,
      args: ['console', '--host', '0.0.0.0', '--token', 'abc'],
    });
    expect(short.code).toBe(2);
    expect(short.json!.error.message).toMatch(/16 characters or more, found 3/);
    const port = await runMain({ config: exampleConfig, state: dir, args: ['console', '--port', 'http'] });
    expect(port.code).toBe(2);
    expect(port.json!.error.message).toMatch(/expected --port to be 0-65535, found "http"/);
  });
});
