import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJunit } from './parse-junit';

/** Writes a JUnit report of `suites` × `perSuite` cases; every 1000th case fails, every 500th is skipped. */
async function writeReport(path: string, suites: number, perSuite: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="generated" tests="${suites * perSuite}">\n`);
  let n = 0;
  for (let s = 0; s < suites; s++) {
    const lines = [`  <testsuite name="suite-${s}.test.ts" time="1.5">\n`];
    for (let c = 0; c < perSuite; c++, n++) {
      const name = `suite ${s} &gt; returns the seeded order number ${n} with its lines and totals`;
      if (n % 1000 === 999)
        lines.push(
          `    <testcase classname="suite-${s}.test.ts" name="${name}" time="0.002"><failure message="expected 200, found 500">AssertionError\n at suite-${s}.test.ts:10:5</failure></testcase>\n`,
        );
      else if (n % 500 === 499)
        lines.push(`    <testcase classname="suite-${s}.test.ts" name="${name}" time="0"><skipped/></testcase>\n`);
      else
        lines.push(
          `    <testcase classname="suite-${s}.test.ts" name="${name}" time="0.001"><system-out>ok ${n}</system-out></testcase>\n`,
        );
    }
    lines.push('  </testsuite>\n');
    await write(lines.join(''));
  }
  await write('</testsuites>\n');
  out.end();
  await once(out, 'close');
}

describe('parseJunit on a 200 MB report', () => {
  let dir: string;
  let path: string;
  const suites = 1000;
  const perSuite = 1200;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junit-large-'));
    path = join(dir, 'large.junit.xml');
    await writeReport(path, suites, perSuite);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams it in flat memory and counts every case', async () => {
    const { size } = await stat(path);
    expect(size).toBeGreaterThan(200 * 1024 * 1024);
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 10);
    try {
      const { summary, bytes } = await parseJunit(path);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      const total = suites * perSuite;
      const failures = Math.floor(total / 1000);
      const skipped = Math.floor(total / 500) - Math.floor(total / 1000);
      expect(bytes).toBe(size);
      expect(summary).toMatchObject({
        tests: total,
        failures,
        errors: 0,
        skipped,
        passed: total - failures - skipped,
        suites,
        durationSeconds: 1500,
      });
      expect(summary.failedCases).toHaveLength(20);
      expect(summary.failedCases[0]).toMatchObject({ suite: 'suite-0.test.ts', message: 'expected 200, found 500' });
      expect(summary.attributeMismatches).toBeUndefined();
    } finally {
      clearInterval(sampler);
    }
    // A memory bound, not a timing threshold: a tree of 1.2 million cases would need gigabytes.
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  });
});
