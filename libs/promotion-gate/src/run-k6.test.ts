import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ShipgateError } from '@shipgate/model';
import { bundleK6Script, findK6, runK6 } from './run-k6';

const fixtures = fileURLToPath(new URL('./__fixtures__/k6/', import.meta.url));

/**
 * A stand-in for the k6 binary: answers `version`, and for `run` records its argv, prints progress lines,
 * copies a real fixture summary to the --summary-export path and exits with FAKE_K6_EXIT.
 */
const fakeK6 = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === 'version') { console.log('k6 v0.48.0 (go1.19.8, linux/amd64)'); process.exit(0); }
fs.writeFileSync(process.env.FAKE_K6_ARGV, JSON.stringify({ args, noUsage: process.env.K6_NO_USAGE_REPORT }));
const out = args[args.indexOf('--summary-export') + 1];
console.log('running (0m10.6s), 00/20 VUs, 110 complete and 0 interrupted iterations');
console.error('level=info msg="fake k6 on stderr"');
for (let i = 1; i <= Number(process.env.FAKE_K6_LINES || 0); i++) console.error('line ' + i);
if (process.env.FAKE_K6_STARTED) {
  // Runs until signalled, as k6 does during a long stress run.
  fs.writeFileSync(process.env.FAKE_K6_STARTED, String(process.pid));
  setInterval(() => {}, 1000);
} else {
  if (process.env.FAKE_K6_FIXTURE) fs.copyFileSync(process.env.FAKE_K6_FIXTURE, out);
  process.exit(Number(process.env.FAKE_K6_EXIT || 0));
}
`;

const script = `import http from 'k6/http';
import { check } from 'k6';
import { releaseMatches } from './release';

interface Options { vus: number; duration: string }
export const options: Options = { vus: 20, duration: '60s' };

export default function (): void {
  const res = http.get(\`\${__ENV.BASE_URL}/release\`);
  check(res, { 'serves the release under test': (r) => releaseMatches(r.body as string, __ENV.RELEASE_ID) });
}
`;
const helper = `export const releaseMatches = (body: string, id: string | undefined): boolean => JSON.parse(body)?.release === id;\n`;

describe('runK6 with a fake k6 binary', () => {
  let dir: string;
  let bin: string;
  let entry: string;
  const argvFile = () => join(dir, 'argv.json');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-k6-'));
    bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'k6'), fakeK6);
    await chmod(join(bin, 'k6'), 0o755);
    entry = join(dir, 'stress.ts');
    await writeFile(entry, script);
    await writeFile(join(dir, 'release.ts'), helper);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    FAKE_K6_ARGV: argvFile(),
    FAKE_K6_FIXTURE: join(fixtures, 'k6-pass.summary-export.json'),
    ...extra,
  });

  it('bundles the TypeScript script, runs k6 with an argument array and reads the summary', async () => {
    const lines: string[] = [];
    const clock = new ManualClock('2026-06-10T12:00:00Z');
    const result = await runK6({
      script: entry,
      baseUrl: 'http://127.0.0.1:18181',
      releaseId: 'rel-0123456789abcdef; echo pwned',
      env: env(),
      clock,
      onOutput: (line, stream) => {
        lines.push(`${stream}: ${line}`);
        clock.advance(61_000);
      },
    });
    const { args, noUsage } = JSON.parse(await readFile(argvFile(), 'utf8')) as { args: string[]; noUsage: string };
    expect(args.slice(0, 2)).toEqual(['run', '--summary-export']);
    expect(args.slice(3, -1)).toEqual([
      '--no-usage-report',
      '-e',
      'BASE_URL=http://127.0.0.1:18181',
      '-e',
      'RELEASE_ID=rel-0123456789abcdef; echo pwned',
    ]);
    expect(args.at(-1)).toMatch(/script\.bundle\.js$/);
    expect(noUsage).toBe('true');
    expect(lines).toEqual([
      'stdout: running (0m10.6s), 00/20 VUs, 110 complete and 0 interrupted iterations',
      'stderr: level=info msg="fake k6 on stderr"',
    ]);
    expect(result.summary).toMatchObject({
      tool: 'k6',
      format: 'summary-export',
      httpRequests: 220,
      target: 'http://127.0.0.1:18181',
      durationMs: 122_000,
    });
    expect(result.summary.notes).toContain(
      'duration measured by shipgate around the k6 process (includes k6 start-up)',
    );
    expect(result.provenance).toMatchObject({
      k6Version: 'v0.48.0',
      durationMs: 122_000,
      target: 'http://127.0.0.1:18181',
      exitCode: 0,
    });
    expect(result.provenance.scriptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns a run whose thresholds failed (exit 99) with its summary', async () => {
    const result = await runK6({
      script: entry,
      baseUrl: 'http://127.0.0.1:18181',
      releaseId: 'rel-1',
      env: env({ FAKE_K6_EXIT: '99', FAKE_K6_FIXTURE: join(fixtures, 'k6-fail.summary-export.json') }),
    });
    expect(result.provenance.exitCode).toBe(99);
    expect(result.summary.thresholds.filter((t) => !t.passed)).toHaveLength(5);
  });

  const failure = async (extra: Record<string, string>) =>
    (await runK6({ script: entry, baseUrl: 'http://x', releaseId: 'rel-1', env: env(extra) }).catch(
      (e: unknown) => e,
    )) as ShipgateError;

  it('reports a k6 crash as LOAD_TEST_FAILED with what the exit code means and k6’s last lines (#11.7)', async () => {
    const error = await failure({ FAKE_K6_EXIT: '107', FAKE_K6_FIXTURE: '' });
    expect(error).toBeInstanceOf(ShipgateError);
    expect(error.code).toBe('LOAD_TEST_FAILED');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      [
        "expected k6 to complete the run (exit code 0, or 99 when thresholds are crossed), found exit code 107: the script threw an exception; k6's last 2 lines:",
        '  | running (0m10.6s), 00/20 VUs, 110 complete and 0 interrupted iterations',
        '  | level=info msg="fake k6 on stderr"',
      ].join('\n'),
    );
    expect(error.details).toMatchObject({ k6ExitCode: 107, k6Output: expect.any(Array) });
    expect(error.hint).toMatch(/^k6's full output is above on stderr/);
  });

  it('names test.abort() for 108 and a command-line error for 255, and keeps only the last 40 lines (#11.7)', async () => {
    expect((await failure({ FAKE_K6_EXIT: '108', FAKE_K6_FIXTURE: '' })).message).toMatch(
      /found exit code 108: the script called test\.abort\(\);/,
    );
    const bad = await failure({ FAKE_K6_EXIT: '255', FAKE_K6_FIXTURE: '', FAKE_K6_LINES: '100' });
    expect(bad.message).toMatch(
      /found exit code 255: a command-line error \(an unknown option, a missing script file\); k6's last 40 lines:/,
    );
    expect(bad.message).toContain('  | line 61\n');
    expect(bad.message).not.toContain('line 60\n');
    expect(bad.message.endsWith('  | line 100')).toBe(true);
  });

  it('reports a k6 that exits 0 without writing its summary as LOAD_TEST_FAILED, not as an unparseable file (#11.7)', async () => {
    const error = await failure({ FAKE_K6_EXIT: '0', FAKE_K6_FIXTURE: '' });
    expect(error.code).toBe('LOAD_TEST_FAILED');
    expect(error.message).toMatch(
      /^expected k6 to write its summary to .*summary-export\.json, found exit code 0 and no summary file;/,
    );
  });

  it('finds k6 through K6_BINARY or PATH, and explains how to install it when absent', async () => {
    expect(await findK6({ PATH: `/nonexistent:${bin}` })).toBe(join(bin, 'k6'));
    expect(await findK6({ K6_BINARY: join(bin, 'k6'), PATH: '' })).toBe(join(bin, 'k6'));
    const absent = (await findK6({ PATH: '/nonexistent' }).catch((e: unknown) => e)) as ShipgateError;
    expect(absent.code).toBe('TOOL_NOT_INSTALLED');
    expect(absent.message).toBe('expected k6 on PATH or in K6_BINARY, found neither');
    expect(absent.hint).toMatch(/Install k6 .*K6_BINARY/);
    const wrong = (await findK6({ K6_BINARY: join(dir, 'nope') }).catch((e: unknown) => e)) as ShipgateError;
    expect(wrong.message).toBe(
      `expected K6_BINARY to name an executable k6, found "${join(dir, 'nope')}", which is missing or not executable`,
    );
  });
});

describe('bundleK6Script', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-k6-'));
    await writeFile(join(dir, 'stress.ts'), script);
    await writeFile(join(dir, 'release.ts'), helper);
    await writeFile(join(dir, 'broken.ts'), 'import { x } from "./missing";\nexport default () => x;\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('inlines local modules, strips types and leaves k6 imports for k6', async () => {
    const { code, scriptHash } = await bundleK6Script(join(dir, 'stress.ts'));
    expect(code).toMatch(/import http from "k6\/http";/);
    expect(code).toMatch(/import \{ check \} from "k6";/);
    expect(code).toContain('releaseMatches');
    expect(code).not.toMatch(/\binterface\b|: string/);
    expect(code).not.toContain('./release');
    expect(code).toMatch(/export \{[^}]*options/);
    expect(scriptHash).toHaveLength(64);
  });

  it('reports a script that does not bundle with its location', async () => {
    const error = (await bundleK6Script(join(dir, 'broken.ts')).catch((e: unknown) => e)) as ShipgateError;
    expect(error).toBeInstanceOf(ShipgateError);
    expect(error.message).toMatch(
      /^expected a k6 script that bundles, found Could not resolve "\.\/missing" at .*broken\.ts:1:\d+$/,
    );
    expect(error.location?.line).toBe(1);
  });
});

// #11 item 7: SIGTERM (a cancelled CI step) during a run stops k6 and removes runK6's scratch directory.
describe('runK6 in a process that is sent SIGTERM', () => {
  let dir: string;
  let k6Pid: number | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-k6-signal-'));
  });
  afterAll(async () => {
    // Where the cleanup failed, the stand-in k6 would run on: stop it.
    if (k6Pid !== undefined && isAlive(k6Pid)) process.kill(k6Pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('stops k6, removes its temporary directory and ends by the signal', async () => {
    const bin = join(dir, 'bin');
    const scratch = join(dir, 'tmp');
    await mkdir(bin);
    await mkdir(scratch);
    await writeFile(join(bin, 'k6'), fakeK6);
    await chmod(join(bin, 'k6'), 0o755);
    await writeFile(join(dir, 'stress.ts'), script);
    await writeFile(join(dir, 'release.ts'), helper);
    const started = join(dir, 'k6.pid');
    const runner = join(dir, 'runner.mts'); // .mts: an ES module wherever the temp dir is
    await writeFile(
      runner,
      `import { runK6 } from ${JSON.stringify(fileURLToPath(new URL('./run-k6.ts', import.meta.url)))};\n` +
        `await runK6({ script: ${JSON.stringify(join(dir, 'stress.ts'))}, baseUrl: 'http://127.0.0.1:1', releaseId: 'rel-1' });\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', runner], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        TMPDIR: scratch,
        FAKE_K6_ARGV: join(dir, 'argv.json'),
        FAKE_K6_STARTED: started,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('close', (code, signal) => done({ code, signal })),
    );
    // Wait (up to 60 s: the machine is shared) until k6 runs inside runK6's scratch directory.
    for (let i = 0; i < 600 && !(await exists(started)); i++) await new Promise((r) => setTimeout(r, 100));
    k6Pid = Number(await readFile(started, 'utf8'));
    // (tsx keeps its cache in TMPDIR too: only runK6's directories count.)
    const runK6Dirs = async () => (await readdir(scratch)).filter((f) => f.startsWith('shipgate-k6-'));
    expect(await runK6Dirs()).toHaveLength(1);

    child.kill('SIGTERM');
    expect(await ended, stderr).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await runK6Dirs()).toEqual([]);
    expect(isAlive(k6Pid)).toBe(false);
  }, 90_000);
});

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
