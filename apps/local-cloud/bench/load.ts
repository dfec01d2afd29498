/**
 * Load generators for the local-cloud bench. wrk (C, one thread) is preferred: on a 2-core machine
 * the load generator shares the CPU with what it measures, and autocannon (Node) spends about as
 * much CPU per request as the echo task itself, so it caps what any proxy can show. autocannon is
 * the fallback, so the bench runs wherever the project's own dependencies are installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface LoadGenerator {
  name: string;
  run(url: string, seconds: number, connections: number): Promise<LoadResult>;
}

/** wrk when it is installed (or `BENCH_LOADGEN=wrk`), autocannon otherwise (or `BENCH_LOADGEN=autocannon`). */
export function pickLoadGenerator(): LoadGenerator {
  const wanted = process.env.BENCH_LOADGEN;
  if (wanted && wanted !== 'wrk' && wanted !== 'autocannon')
    throw new Error(`BENCH_LOADGEN must be wrk or autocannon, not "${wanted}"`);
  if (wanted !== 'autocannon' && hasWrk()) return wrk;
  if (wanted === 'wrk') throw new Error('BENCH_LOADGEN=wrk but wrk is not on PATH (Debian: apt-get install wrk)');
  return cannon;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // wrk --version prints its banner and exits 1; only a missing binary throws ENOENT.
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

const cannon: LoadGenerator = {
  name: 'autocannon (in the bench process)',
  async run(url, seconds, connections) {
    const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
  },
};

const wrk: LoadGenerator = {
  name: 'wrk (one thread)',
  run(url, seconds, connections) {
    return new Promise((resolve, reject) => {
      execFile(
        'wrk',
        ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url],
        { timeout: (seconds + 30) * 1000 },
        (error, stdout) => {
          if (error) return reject(new Error(`wrk failed: ${error.message}`));
          resolve(parseWrk(stdout));
        },
      );
    });
  },
};

/** Reads wrk's text report: requests/sec, the 50 % and 99 % latency lines, socket errors and non-2xx/3xx. */
export function parseWrk(report: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(report);
  if (!rps) throw new Error(`unexpected wrk output:\n${report}`);
  const latency = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(report);
    if (!m) return NaN;
    const scale = m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1;
    return Number(m[1]) * scale;
  };
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const errors = sock ? sock.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0);
  return { rps: Number(rps[1]), p50: latency('50'), p99: latency('99'), errors, non2xx };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is none. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted after the command name; in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
