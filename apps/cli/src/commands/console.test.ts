import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

describe('the CLI starts without the console (#16)', () => {
  it('`shipgate --version` statically imports neither Hono nor uPlot: they load when `console` runs', async () => {
    const dist = new URL('../../dist/', import.meta.url).pathname;
    if (!existsSync(join(dist, 'shipgate.js'))) {
      // @ts-expect-error: the build script is plain JavaScript
      const { buildCli } = await import('../../build.mjs');
      await buildCli({ quiet: true });
    }
    // Walk the static imports of the entry chunk, as Node loads them before main() runs.
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = await readFile(join(dist, file), 'utf8');
      for (const m of code.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('./')) await visit(spec.slice(2));
        else bare.add(spec);
      }
    };
    await visit('shipgate.js');
    expect([...bare].filter((s) => /hono|uplot|playwright|axe-core/.test(s))).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
  });
});
