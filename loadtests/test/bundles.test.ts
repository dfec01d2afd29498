import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoadTests, scripts } from '../build.mjs';
import thresholds from '../src/thresholds.json';
import { bundleProblems, importedSpecifiers, syntaxNewerThan } from './bundle-problems';

const outdir = mkdtempSync(join(tmpdir(), 'shipgate-loadtests-'));
let metafile: Awaited<ReturnType<typeof buildLoadTests>>;

beforeAll(async () => {
  metafile = await buildLoadTests({ outdir, quiet: true });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const bundle = (name: string) => readFileSync(join(outdir, `${name}.js`), 'utf8');

/** `node --check` parses a .mjs file as an ES module without running it. */
function parsesAsModule(file: string): { ok: boolean; stderr: string } {
  const copy = file.replace(/\.js$/, '.check.mjs');
  copyFileSync(file, copy);
  const run = spawnSync(process.execPath, ['--check', copy], { encoding: 'utf8' });
  return { ok: run.status === 0, stderr: run.stderr };
}

describe.each(Object.keys(scripts))('the %s bundle', (name) => {
  it('has no Node-only code and imports only k6 modules', () => {
    const code = bundle(name);
    expect(bundleProblems(code)).toEqual([]);
    expect(new Set(importedSpecifiers(code))).toEqual(new Set(['k6', 'k6/http']));
  });

  it('leaves only k6 modules external, by esbuild’s own account', () => {
    const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`${name}.js`));
    expect(output).toBeDefined();
    const imports = output![1].imports;
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) {
      expect(i.external).toBe(true);
      expect(i.path).toMatch(/^k6(\/|$)/);
    }
  });

  it('uses no syntax newer than the es2017 that k6 v0.48 runs (#11.5)', async () => {
    expect(await syntaxNewerThan(bundle(name))).toEqual([]);
  });

  it('parses as an ES module', () => {
    expect(parsesAsModule(join(outdir, `${name}.js`))).toEqual({ ok: true, stderr: '' });
  });

  it('names the release check the production policy requires', () => {
    expect(bundle(name)).toContain('"serves the release under test"');
  });
});

describe('the bundle checks can fail', () => {
  it('finds Node-only code and foreign imports', () => {
    const bad = [
      'import { readFileSync } from "node:fs";',
      'import path from "path";',
      'const x = require("os");',
      'export const y = process.env.HOME;',
    ].join('\n');
    const problems = bundleProblems(bad);
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/CommonJS require/);
    expect(problems.join('\n')).toMatch(/"node:fs"/);
    expect(problems.join('\n')).toMatch(/cannot resolve: "path"/);
    expect(problems.join('\n')).toMatch(/use of process/);
  });

  it('finds syntax newer than es2017, each kind k6 v0.48 refuses (#11.5)', async () => {
    const newer = {
      'object spread': 'export const a = (o) => ({ ...o, b: 1 });',
      'object rest': 'export const a = ({ b, ...rest }) => rest;',
      'optional catch binding': 'export function a() { try { return 1; } catch { return 2; } }',
      'optional chaining': 'export const a = (o) => o?.b;',
      'nullish coalescing': 'export const a = (o) => o ?? 1;',
      'async iteration': 'export async function a(xs) { for await (const x of xs) return x; }',
    };
    for (const [what, code] of Object.entries(newer)) {
      const found = await syntaxNewerThan(code);
      expect(found, what).not.toEqual([]);
      expect(found[0], what).toMatch(/^newer than es2017: /);
    }
    expect(await syntaxNewerThan('export const a = async (o) => Object.assign({}, o, { b: 2 ** 3 });')).toEqual([]);
  });

  it('finds a bundle that does not parse as a module', () => {
    const broken = join(outdir, 'broken.js');
    writeFileSync(broken, `${bundle('stress')}\nexport default 1;\n`); // a second default export
    expect(parsesAsModule(broken).ok).toBe(false);
  });
});

// A real k6, where one is installed: K6_BINARY, else `k6` on PATH. Nothing else can say for sure that k6
// runs a bundle; the syntax check above is what stands in for it where no k6 is installed.
const k6Binary = process.env.K6_BINARY || 'k6';
const k6Version = spawnSync(k6Binary, ['version'], { encoding: 'utf8', timeout: 30_000 });
const k6 = k6Version.status === 0 ? k6Binary : undefined;
if (!k6)
  console.info(
    `loadtests (#11.5): skipped running the bundles in k6: no k6 binary (K6_BINARY=${process.env.K6_BINARY ?? 'unset'}, \`${k6Binary} version\` ${k6Version.error ? `failed: ${k6Version.error.message}` : `exited ${k6Version.status}`}). Install k6 or set K6_BINARY to run them.`,
  );

describe('the bundles in a real k6 (#11.5)', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // Answers like the sample service: every answer names the release, /release in its body too.
    server = createServer((req, res) => {
      res.setHeader('x-release-id', 'rel-k6');
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/release' ? JSON.stringify({ service: 'sample-service', release: 'rel-k6' }) : '{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const vars = () => ['-e', `BASE_URL=${baseUrl}`, '-e', 'RELEASE_ID=rel-k6', '-e', 'PEAK_VUS=1', '-e', 'DURATION=1s'];

  it.skipIf(!k6)('k6 inspect reads the stress bundle and its thresholds', async () => {
    const run = await runK6Binary(['inspect', ...vars(), join(outdir, 'stress.js')]);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { thresholds: unknown }).thresholds).toEqual(thresholds);
  });

  it.skipIf(!k6)(
    'k6 run runs the stress bundle against a local server, every release check passing',
    async () => {
      const summary = join(outdir, 'stress.summary-export.json');
      const run = await runK6Binary([
        'run',
        '--no-usage-report',
        '--quiet',
        '--summary-export',
        summary,
        ...vars(),
        join(outdir, 'stress.js'),
      ]);
      expect(run.status, run.stderr).toBe(0);
      const checks = (
        JSON.parse(readFileSync(summary, 'utf8')) as {
          root_group: { checks: Record<string, { passes: number; fails: number }> };
        }
      ).root_group.checks;
      expect(checks['serves the release under test']!.passes).toBeGreaterThan(0);
      expect(checks['serves the release under test']!.fails).toBe(0);
    },
    120_000,
  );
});

/** Runs k6 without blocking this process, whose server k6 is loading. */
function runK6Binary(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(k6!, args, { env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => done({ status: null, stdout, stderr: error.message }));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

interface StubState {
  checks: Array<{ name: string; ok: boolean }>;
  requests: string[];
  answer: (url: string) => { status: number; url: string; headers: Record<string, string>; body: string };
}

/** Bundles a script with k6 replaced by a recording stub and imports it, with `env` as __ENV. */
async function loadWithStub(name: string, env: Record<string, string>) {
  const stub = new URL('./__fixtures__/k6-stub.mjs', import.meta.url).pathname;
  const out = join(outdir, `${name}.stubbed.mjs`);
  await build({
    entryPoints: [new URL(`../src/${name}.ts`, import.meta.url).pathname],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    logLevel: 'error',
    alias: { k6: stub, 'k6/http': stub },
  });
  (globalThis as Record<string, unknown>).__ENV = env;
  return (await import(`${pathToFileURL(out).href}?${Date.now()}`)) as {
    default: () => void;
    options: Record<string, unknown>;
  };
}

describe('the stress script, run against a stand-in for k6', () => {
  const state: StubState = {
    checks: [],
    requests: [],
    answer: () => ({ status: 500, url: '', headers: {}, body: '' }),
  };
  beforeAll(() => ((globalThis as Record<string, unknown>).k6Stub = state));
  afterAll(() => {
    delete (globalThis as Record<string, unknown>).k6Stub;
    delete (globalThis as Record<string, unknown>).__ENV;
  });

  const servedBy = (release: string) => (url: string) => ({
    status: 200,
    url,
    headers: { 'X-Release-Id': release },
    body: JSON.stringify({ service: 'sample-service', release }),
  });

  it('ramps to PEAK_VUS over DURATION with the policy thresholds', async () => {
    const script = await loadWithStub('stress', {
      BASE_URL: 'http://127.0.0.1:18181',
      RELEASE_ID: 'rel-7',
      PEAK_VUS: '30',
      DURATION: '100s',
    });
    expect(script.options.stages).toEqual([
      { duration: '20s', target: 30 },
      { duration: '60s', target: 30 },
      { duration: '20s', target: 0 },
    ]);
    expect(script.options.thresholds).toEqual(thresholds);
  });

  it('passes the release check only when the release under test answers', async () => {
    const script = await loadWithStub('stress', { BASE_URL: 'http://127.0.0.1:18181', RELEASE_ID: 'rel-7' });
    state.checks = [];
    state.answer = servedBy('rel-7');
    script.default();
    expect(state.requests.slice(-2)).toEqual(['http://127.0.0.1:18181/release', 'http://127.0.0.1:18181/health']);
    expect(state.checks.filter((c) => c.name === 'serves the release under test').map((c) => c.ok)).toEqual([
      true,
      true,
    ]);

    state.checks = [];
    state.answer = servedBy('rel-6'); // the old task set still answering
    script.default();
    expect(state.checks.filter((c) => c.name === 'serves the release under test').map((c) => c.ok)).toEqual([
      false,
      false,
    ]);
  });
});
