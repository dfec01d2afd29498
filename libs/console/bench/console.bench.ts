/**
 * Time to first byte and to a rendered board with 10,000 releases and 100,000 audit entries (goal:
 * under 1 s), against the naive board in the same run (every release read and the chain verified per
 * request). Run: npx tsx libs/console/bench/console.bench.ts [releases] [auditEntries]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStateStore, openLedger } from '@shipgate/ledger';
import { seededRandom, systemClock } from '@shipgate/model';
import { startConsole } from '../src/index';
import { readOnlyStore } from '../src/read-only-store';
import { launchChromium } from '../src/testing/browser';
import { writeLargeLedger } from './make-ledger';

const releases = Number(process.argv[2] ?? 10_000);
const auditEntries = Number(process.argv[3] ?? 100_000);
const root = await mkdtemp(join(tmpdir(), 'shipgate-console-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function ttfb(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  const reader = res.body!.getReader();
  await reader.read();
  const ms = performance.now() - t;
  await reader.cancel();
  return ms;
}

try {
  let t = performance.now();
  const shape = await writeLargeLedger(root, releases, auditEntries);
  const writeMs = performance.now() - t;
  const size = execFileSync('du', ['-sh', '--apparent-size', root], { encoding: 'utf8' }).split('\t')[0];
  const files = shape.releases + shape.deployments + shape.auditEntries;
  console.log(
    `ledger: ${shape.releases} releases, ${shape.deployments} deployments, ${shape.auditEntries} audit entries (${files} files, ${size}), written in ${(writeMs / 1000).toFixed(1)} s`,
  );
  const ledger = openLedger(readOnlyStore(new FsStateStore(root)), { clock: systemClock, random: seededRandom(1) });
  const startedAt = performance.now();
  const server = await startConsole({
    host: '127.0.0.1',
    port: 0,
    source: {
      ledger,
      environments: ['test', 'staging', 'production'].map((name) => ({
        name,
        services: ['api', 'web', 'worker', 'billing', 'search'],
      })),
      decide: async () => {
        throw new Error('the board asks no gate');
      },
      commandPrefix: [],
      clock: systemClock,
      stateLocation: root,
    },
  });
  const board = `http://127.0.0.1:${server.port}/`;
  try {
    // Cold: from the start to the first byte of the board, which waits for the first read of every
    // deployment record (the chain is verified in the background meanwhile).
    await ttfb(board);
    const cold = performance.now() - startedAt;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await ttfb(board));
    const browser = await launchChromium();
    const rendered: number[] = [];
    try {
      const page = await browser.context.newPage();
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        await page.goto(board, { waitUntil: 'load' });
        await page.locator('table.board').first().waitFor();
        rendered.push(performance.now() - t);
      }
    } finally {
      await browser.close();
    }
    // The naive board: read every release and walk the whole chain on each request.
    // Once: it takes tens of seconds on a large ledger.
    t = performance.now();
    await Promise.all([ledger.deployments.list(), ledger.releases.list(), ledger.audit.verify()]);
    const naive = [performance.now() - t];
    t = performance.now();
    const verdict = await ledger.audit.verify();
    const verifyMs = performance.now() - t;
    const row = (name: string, ms: number) => `${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`;
    console.log(row('start to first byte of the board (cold)', cold));
    console.log(row('time to first byte, median of 5 (warm)', median(warm)));
    console.log(row('board rendered in Chromium, median of 5', median(rendered)));
    console.log(row('naive board (every record + the chain)', median(naive)));
    console.log(row(`audit verify (${verdict.ok ? verdict.entries : 'BROKEN'} entries, in the background)`, verifyMs));
    console.log(
      `board: first byte ${median(warm) < 1000 ? 'under' : 'OVER'} and rendered ${median(rendered) < 1000 ? 'under' : 'OVER'} the 1 s goal; ${(median(naive) / median(warm)).toFixed(0)}× faster than the naive board (same run)`,
    );
  } finally {
    await server.close();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
