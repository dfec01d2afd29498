import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { ShipgateError, sha256Hex, systemClock } from '@shipgate/model';
import type { Clock } from '@shipgate/model';
import { describeK6Exit } from './k6-exit-codes';
import { onTermination } from './on-termination';
import { readK6Summary } from './parse-k6-summary';
import type { StressSummary } from './summaries';

const installHint =
  'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/): `brew install k6`, `sudo apt-get install k6` from the k6 apt repository, `winget install k6`, or the grafana/setup-k6-action in GitHub Actions; or set K6_BINARY to its path. For a local rehearsal without k6, shipgate uses autocannon.';

/** A TypeScript k6 script bundled to one ES module that any k6 (also v0.x without TypeScript support) runs. */
export interface BundledScript {
  code: string;
  /** sha256 hex of the bundled code: what actually ran. */
  scriptHash: string;
}

/** Bundles a k6 script with esbuild: neutral platform, ESM, `k6` and `k6/*` left as imports for k6 to provide. */
export async function bundleK6Script(entry: string): Promise<BundledScript> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'neutral',
      format: 'esm',
      target: 'es2017',
      external: ['k6', 'k6/*'],
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    });
    const code = result.outputFiles[0]?.text ?? '';
    return { code, scriptHash: sha256Hex(code) };
  } catch (error) {
    const first = (
      error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }
    ).errors?.[0];
    throw new ShipgateError(
      'USAGE',
      `expected a k6 script that bundles, found ${first ? `${first.text}${first.location ? ` at ${first.location.file}:${first.location.line}:${first.location.column}` : ''}` : (error as Error).message}`,
      {
        hint: 'Fix the load test script; it is bundled with esbuild before k6 runs it.',
        ...(first?.location
          ? { location: { file: first.location.file, line: first.location.line, column: first.location.column } }
          : {}),
      },
    );
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds k6: `K6_BINARY`, else the first `k6` on `PATH`; a clear TOOL_NOT_INSTALLED error otherwise. */
export async function findK6(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.K6_BINARY) {
    if (await isExecutable(env.K6_BINARY)) return env.K6_BINARY;
    throw new ShipgateError(
      'TOOL_NOT_INSTALLED',
      `expected K6_BINARY to name an executable k6, found "${env.K6_BINARY}", which is missing or not executable`,
      { hint: installHint },
    );
  }
  const names = process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) if (await isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new ShipgateError('TOOL_NOT_INSTALLED', 'expected k6 on PATH or in K6_BINARY, found neither', {
    hint: installHint,
  });
}

/** How many of k6's last output lines a failure carries. */
const tailLines = 40;

/** Runs a program with an argument array (never a shell), collects its stdout and keeps the tail of both streams. */
function run(
  binary: string,
  args: string[],
  options: {
    env: NodeJS.ProcessEnv;
    onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
    timeoutMs: number;
    /** Stops the program (SIGTERM) when aborted. */
    signal?: AbortSignal;
  },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; tail: string[]; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const tail: string[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, options.timeoutMs);
    const stop = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', stop, { once: true });
    const keep = (line: string, stream: 'stdout' | 'stderr') => {
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
      options.onLine?.(line, stream);
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (stdout.length < 1_000_000) stdout += `${line}\n`;
      keep(line, 'stdout');
    });
    createInterface({ input: child.stderr }).on('line', (line) => keep(line, 'stderr'));
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      reject(
        new ShipgateError('TOOL_NOT_INSTALLED', `expected to start ${binary}, found ${error.message}`, {
          hint: installHint,
          cause: error,
        }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ code, signal, stdout, tail, timedOut });
    });
  });
}

/** `v0.48.0` from `k6 v0.48.0 (go1.19.8, linux/amd64)`; the whole first line when it has another shape. */
export async function k6Version(binary: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const result = await run(binary, ['version'], { env, timeoutMs: 30_000 });
  const first = result.stdout.split('\n').find((l) => l.trim()) ?? '';
  if (result.code !== 0 || !first)
    throw new ShipgateError(
      'TOOL_NOT_INSTALLED',
      `expected \`${binary} version\` to print a k6 version, found exit code ${result.code}${first ? ` and "${first}"` : ''}`,
      { hint: installHint },
    );
  return /\bv?(\d+\.\d+\.\d+\S*)/.exec(first)?.[0] ?? first.trim();
}

/** What to run and against what. */
export interface RunK6Options {
  /** TypeScript or JavaScript k6 script (bundled first). */
  script: string;
  baseUrl: string;
  releaseId: string;
  /** More `-e NAME=value` pairs for the script. */
  scriptEnv?: Record<string, string>;
  /** Environment for finding and running k6 (default process.env). */
  env?: NodeJS.ProcessEnv;
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
  clock?: Clock;
  /** Deadline for the whole run (default 1 hour). */
  timeoutMs?: number;
}

/** Provenance of a stress run, recorded with its evidence. */
export interface K6RunProvenance {
  scriptHash: string;
  k6Version: string;
  durationMs: number;
  target: string;
  exitCode: number;
}

/** A finished k6 run: the normalised summary, the hash of the summary file, and where it came from. */
export interface K6RunResult {
  summary: StressSummary;
  sourceHash: string;
  provenance: K6RunProvenance;
}

/**
 * Bundles the script, runs `k6 run --summary-export …` and reads the summary back. Exit code 99 (thresholds
 * crossed) is a finished run whose summary says so; any other failure is an error. The summary-export file
 * records no duration, so the run's measured wall time fills it in (and the summary says so).
 */
export async function runK6(options: RunK6Options): Promise<K6RunResult> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const binary = await findK6(env);
  const version = await k6Version(binary, env);
  const bundle = await bundleK6Script(options.script);
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-k6-'));
  // A cancelled run (SIGTERM, SIGINT) stops k6 and removes the scratch directory before the process ends.
  const stopK6 = new AbortController();
  let running: ReturnType<typeof run> | undefined;
  const release = onTermination(async () => {
    stopK6.abort();
    await running?.catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  try {
    const scriptPath = join(dir, 'script.bundle.js');
    const summaryPath = join(dir, 'summary-export.json');
    await writeFile(scriptPath, bundle.code);
    const vars = { BASE_URL: options.baseUrl, RELEASE_ID: options.releaseId, ...options.scriptEnv };
    const args = [
      'run',
      '--summary-export',
      summaryPath,
      '--no-usage-report',
      ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      scriptPath,
    ];
    const started = clock.now().getTime();
    const timeoutMs = options.timeoutMs ?? 3_600_000;
    running = run(binary, args, {
      env: { ...env, K6_NO_USAGE_REPORT: 'true' },
      timeoutMs,
      signal: stopK6.signal,
      ...(options.onOutput ? { onLine: options.onOutput } : {}),
    });
    const result = await running;
    // Stopped by a signal: the termination handler removes the directory and ends the process by that
    // signal; going on here would report k6's stop as a failure and race it to the exit.
    if (stopK6.signal.aborted) await new Promise<never>(() => undefined);
    const durationMs = clock.now().getTime() - started;
    if (result.timedOut)
      throw new ShipgateError(
        'DEPLOY_TIMEOUT',
        `expected k6 to finish within ${Math.round(timeoutMs / 1000)} s, found it still running; it was stopped${lastLines(result.tail)}`,
        {
          hint: 'Shorten the load test (its stages, or DURATION for the stress script) so that k6 finishes in time.',
          details: { k6Output: result.tail },
        },
      );
    if (result.code !== 0 && result.code !== 99)
      throw k6Failed(result, 'to complete the run (exit code 0, or 99 when thresholds are crossed)');
    const wrote = await stat(summaryPath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!wrote) throw k6Failed(result, `to write its summary to ${summaryPath}`, 'and no summary file');
    const parsed = await readK6Summary(summaryPath, { target: options.baseUrl, label: 'k6 --summary-export' });
    const summary =
      parsed.summary.durationMs === undefined
        ? {
            ...parsed.summary,
            durationMs,
            notes: [
              ...parsed.summary.notes,
              'duration measured by shipgate around the k6 process (includes k6 start-up)',
            ],
          }
        : parsed.summary;
    return {
      summary,
      sourceHash: parsed.sourceHash,
      provenance: {
        scriptHash: bundle.scriptHash,
        k6Version: version,
        durationMs,
        target: options.baseUrl,
        exitCode: result.code,
      },
    };
  } finally {
    release();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The tail of k6's output, for a message. */
function lastLines(tail: string[]): string {
  return tail.length
    ? `; k6's last ${tail.length === 1 ? 'line' : `${tail.length} lines`}:\n${tail.map((l) => `  | ${l}`).join('\n')}`
    : '; k6 printed nothing';
}

/** k6 stopped without a usable run: LOAD_TEST_FAILED, with what its exit code means and its last lines. */
function k6Failed(
  result: { code: number | null; signal: NodeJS.Signals | null; tail: string[] },
  expected: string,
  also = '',
): ShipgateError {
  const found = `${result.code === null ? `k6 killed by signal ${result.signal}` : `exit code ${describeK6Exit(result.code)}`}${also ? ` ${also}` : ''}`;
  return new ShipgateError('LOAD_TEST_FAILED', `expected k6 ${expected}, found ${found}${lastLines(result.tail)}`, {
    hint: "k6's full output is above on stderr. Fix the script or its options and run `shipgate stress` again; `k6 inspect <script>` checks a script and its options without sending load.",
    details: {
      k6ExitCode: result.code,
      ...(result.signal ? { k6Signal: result.signal } : {}),
      k6Output: result.tail,
    },
  });
}
