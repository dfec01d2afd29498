/**
 * Time to first byte and to a rendered board with 10,000 releases and 100,000 audit entries (goal:
 * under 1 s), cold (from the console's start) and warm, against two baselines in the same run: the
 * console reading the whole deployment history before its first board (as before the early board),
 * and the naive board (every record read and the chain verified per request).
 * Run: npx tsx libs/console/bench/console.bench.ts [releases] [auditEntries]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStateStore, openLedger, type StateStore } from '@shipgate/ledger';
import { seededRandom, systemClock } from '@shipgate/model';
import { boardDetermined } from '../src/board-model';
import { DeploymentSnapshot, type SnapshotOptions } from '../src/deployment-snapshot';
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
  const files = shape.releases + 3 * shape.deployments + shape.auditEntries;
  console.log(
    `ledger: ${shape.releases} releases, ${shape.deployments} deployments, ${shape.auditEntries} audit entries (${files} files, ${size}), written in ${(writeMs / 1000).toFixed(1)} s`,
  );
  const fs = new FsStateStore(root);
  const environments = ['test', 'staging', 'production'].map((name) => ({
    name,
    services: ['api', 'web', 'worker', 'billing', 'search'],
  }));
  // The same-run baseline: the console as it was before the early board, reading every deployment
  // record (in bulk) before answering the first one.
  const wholeRead: SnapshotOptions = { enough: () => false };
  {
    const probe = new DeploymentSnapshot(
      openLedger(readOnlyStore(fs), { clock: systemClock, random: seededRandom(1) }),
      systemClock,
      { setTimer: () => ({}), enough: (d, h) => boardDetermined(environments, d, h) },
    );
    const first = await probe.start();
    console.log(
      `first board from ${first.deployments.length} of ${shape.deployments} deployment records (newest first, ${first.horizon ? `down to ${new Date(first.horizon.startedBefore).toISOString()}` : 'all of them'})`,
    );
  }
  const open = (store: StateStore, snapshot?: SnapshotOptions) =>
    startConsole({
      host: '127.0.0.1',
      port: 0,
      ...(snapshot ? { snapshot } : {}),
      source: {
        ledger: openLedger(readOnlyStore(store), { clock: systemClock, random: seededRandom(1) }),
        environments,
        decide: async () => {
          throw new Error('the board asks no gate');
        },
        commandPrefix: [],
        clock: systemClock,
        stateLocation: root,
      },
    });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const render = async (url: string) => {
      await page.goto(url, { waitUntil: 'load' });
      await page.locator('table.board').first().waitFor();
    };
    // From the start of the console to the first byte of the board, and (a second start) to the board
    // rendered in Chromium. Each start then waits for its background chain walk (the audit page waits
    // for it) so that the walk does not slow the next measurement.
    const coldStart = async (store: StateStore, snapshot?: SnapshotOptions) => {
      const out: { ttfb: number; rendered: number; chain: number } = { ttfb: 0, rendered: 0, chain: 0 };
      for (const what of ['ttfb', 'rendered'] as const) {
        const t0 = performance.now();
        const server = await open(store, snapshot);
        const board = `http://127.0.0.1:${server.port}/`;
        if (what === 'ttfb') await ttfb(board);
        else await render(board);
        out[what] = performance.now() - t0;
        await (await fetch(`${board}audit?limit=1`)).text();
        if (what === 'ttfb') out.chain = performance.now() - t0;
        await server.close();
      }
      return out;
    };
    const before = await coldStart(fs, wholeRead);
    const after = await coldStart(fs);
    const server = await open(fs);
    const board = `http://127.0.0.1:${server.port}/`;
    const warm: number[] = [];
    const rendered: number[] = [];
    try {
      await ttfb(board);
      await (await fetch(`${board}audit?limit=1`)).text();
      for (let i = 0; i < 5; i++) warm.push(await ttfb(board));
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        await render(board);
        rendered.push(performance.now() - t);
      }
    } finally {
      await server.close();
    }
    // The naive board: every deployment and release read and the whole chain walked on each request.
    const ledger = openLedger(readOnlyStore(fs), { clock: systemClock, random: seededRandom(1) });
    t = performance.now();
    await Promise.all([ledger.deployments.list(), ledger.releases.list(), ledger.audit.verify()]);
    const naive = performance.now() - t;
    const row = (name: string, ms: number, base?: number) =>
      `${name.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms${base === undefined ? '' : `   baseline (whole history read first) ${base.toFixed(0).padStart(6)} ms, ${(base / ms).toFixed(1)}× faster`}`;
    console.log(row('start to first byte of the board (cold)', after.ttfb, before.ttfb));
    console.log(row('start to the board rendered in Chromium (cold)', after.rendered, before.rendered));
    console.log(row('start to the audit page (the chain walked, 100k entries)', after.chain, before.chain));
    console.log(row('time to first byte, median of 5 (warm)', median(warm)));
    console.log(row('board rendered in Chromium, median of 5 (warm)', median(rendered)));
    console.log(row('naive board (every record + the chain, per request)', naive));
    const verdict = (ms: number) => (ms < 1000 ? 'under' : 'OVER');
    console.log(
      `board: cold first byte ${verdict(after.ttfb)}, cold rendered ${verdict(after.rendered)}, warm first byte ${verdict(median(warm))}, warm rendered ${verdict(median(rendered))} the 1 s goal; warm board ${(naive / median(warm)).toFixed(0)}× faster than the naive one (same run)`,
    );
  } finally {
    await browser.close();
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
