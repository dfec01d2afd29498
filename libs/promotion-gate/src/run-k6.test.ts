import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
if (process.env.FAKE_K6_FIXTURE) fs.copyFileSync(process.env.FAKE_K6_FIXTURE, out);
process.exit(Number(process.env.FAKE_K6_EXIT || 0));
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

  it('fails clearly when k6 fails for another reason', async () => {
    const error = (await runK6({
      script: entry,
      baseUrl: 'http://x',
      releaseId: 'rel-1',
      env: env({ FAKE_K6_EXIT: '107', FAKE_K6_FIXTURE: '' }),
    }).catch((e: unknown) => e)) as ShipgateError;
    expect(error).toBeInstanceOf(ShipgateError);
    expect(error.message).toBe(
      'expected k6 to complete the run (exit code 0, or 99 when thresholds fail), found exit code 107',
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
