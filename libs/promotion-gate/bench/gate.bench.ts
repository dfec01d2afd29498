/**
 * Promotion-gate benchmark: a generated JUnit report of 50,000 tests, parsed by shipgate's streaming
 * parser and turned into a full gate decision, next to the naive way (read the whole file into a string,
 * build a full in-memory tree from saxes events, count from the tree, then the same decision). Each
 * measurement runs in its own child process, so its peak RSS is its own.
 *
 *   npx tsx libs/promotion-gate/bench/gate.bench.ts
 *   BENCH_TESTS=1000000 npx tsx libs/promotion-gate/bench/gate.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { SaxesParser } from 'saxes';
import type { QaSummary } from '../src/index';
import { approvalEvidence, evaluateGate, parseJunit, qaEvidence, readK6Summary, stressEvidence } from '../src/index';
import { context, now, policy, release, stagingDeployment, trustWorld } from '../src/testing/gate-fixtures';

interface PhaseResult {
  phase: string;
  parseMs: number;
  gateMs: number;
  totalMs: number;
  peakRss: number;
  tests: number;
  outcome: string;
}

const self = fileURLToPath(import.meta.url);
const k6Fixture = fileURLToPath(new URL('../src/__fixtures__/k6/k6-pass.handle-summary.json', import.meta.url));

async function generate(path: string, tests: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vitest tests" tests="${tests}">\n`);
  const perSuite = 250;
  for (let s = 0; s * perSuite < tests; s++) {
    const lines = [
      `  <testsuite name="suite-${s}.test.ts" tests="${Math.min(perSuite, tests - s * perSuite)}" time="0.9">\n`,
    ];
    for (let c = 0; c < perSuite && s * perSuite + c < tests; c++) {
      const name = `orders api &gt; GET /orders/${s * perSuite + c} returns the seeded order`;
      lines.push(
        c % 100 === 99
          ? `    <testcase classname="suite-${s}.test.ts" name="${name}" time="0"><skipped/></testcase>\n`
          : `    <testcase classname="suite-${s}.test.ts" name="${name}" time="0.0012"><system-out>GET /orders/${c} 200</system-out></testcase>\n`,
      );
    }
    lines.push('  </testsuite>\n');
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end('</testsuites>\n');
  await once(out, 'close');
}

interface TreeNode {
  name: string;
  attributes: Record<string, string>;
  children: TreeNode[];
  text: string;
}

/** The naive baseline: whole file in a string, a full tree, counts from the tree. */
async function domSummary(path: string): Promise<QaSummary> {
  const text = await readFile(path, 'utf8');
  const parser = new SaxesParser({ xmlns: false });
  const root: TreeNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: TreeNode[] = [root];
  parser.on('opentag', (tag) => {
    const node: TreeNode = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      children: [],
      text: '',
    };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => {
    stack.at(-1)!.text += t;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(text).close();
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  let suites = 0;
  const walk = (node: TreeNode) => {
    if (node.name === 'testsuite') suites++;
    if (node.name === 'testcase') {
      counts.tests++;
      const kinds = node.children.map((c) => c.name);
      if (kinds.includes('failure')) counts.failures++;
      else if (kinds.includes('error')) counts.errors++;
      else if (kinds.includes('skipped')) counts.skipped++;
    }
    node.children.forEach(walk);
  };
  walk(root);
  return {
    format: 'junit',
    ...counts,
    passed: counts.tests - counts.failures - counts.errors - counts.skipped,
    durationSeconds: 0,
    suites,
    failedCases: [],
  };
}

async function runPhase(phase: string, path: string): Promise<PhaseResult> {
  // Every record signed by its producer, as the gate requires (#12); the signing is outside the timing.
  const world = await trustWorld(['alice', 'carol']);
  const target = { target: 'http://127.0.0.1:18180', listenerOf: 'staging' };
  const stress = await world.sign(
    stressEvidence({ ...(await readK6Summary(k6Fixture)).summary, ...target }, context()),
  );
  const approvals = await Promise.all(
    ['alice', 'carol'].map((a) =>
      world.sign(approvalEvidence({ approver: a, via: 'cli' }, context({ environment: 'production' }))),
    ),
  );
  const deployments = [await world.signDeployment(stagingDeployment())];
  world.remove();
  if (phase === 'idle')
    return {
      phase,
      parseMs: 0,
      gateMs: 0,
      totalMs: 0,
      peakRss: process.resourceUsage().maxRSS * 1024,
      tests: 0,
      outcome: 'none',
    };
  const start = performance.now();
  const summary = phase === 'stream' ? (await parseJunit(path)).summary : await domSummary(path);
  const qa = await world.sign(qaEvidence(summary, context()));
  const parsed = performance.now();
  const decision = evaluateGate({
    release,
    environment: 'production',
    policy: policy((p) => ({ ...p, qa: { minTests: 10, maxFailures: 0, maxSkipped: 10_000_000 } })),
    evidence: [qa, stress, ...approvals],
    deployments,
    trust: world.trust,
    now,
  });
  const end = performance.now();
  return {
    phase,
    parseMs: parsed - start,
    gateMs: end - parsed,
    totalMs: end - start,
    peakRss: process.resourceUsage().maxRSS * 1024,
    tests: summary.tests,
    outcome: decision.outcome,
  };
}

function child(phase: string, path: string): PhaseResult {
  const run = spawnSync(process.execPath, [...process.execArgv, self, '--child', phase, path], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 24,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) throw new Error(`phase ${phase} failed:\n${run.stderr}`);
  return JSON.parse(line) as PhaseResult;
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await runPhase(process.argv[3]!, process.argv[4]!)));
} else {
  const tests = Number(process.env.BENCH_TESTS ?? 50_000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const dir = await mkdtemp(join(tmpdir(), 'gate-bench-'));
  try {
    const path = join(dir, 'report.junit.xml');
    await generate(path, tests);
    console.log(
      `promotion-gate benchmark: JUnit report of ${tests.toLocaleString('en-US')} tests (${mb((await stat(path)).size)}), ${runs} runs each, median time, max peak RSS`,
    );
    const summarize = (phase: string) => {
      const results = Array.from({ length: runs }, () => child(phase, path));
      if (results.some((r) => r.tests !== tests || r.outcome !== 'pass'))
        throw new Error(`${phase} counted ${results[0]!.tests} tests with outcome ${results[0]!.outcome}`);
      return {
        phase,
        parseMs: median(results.map((r) => r.parseMs)),
        gateMs: median(results.map((r) => r.gateMs)),
        totalMs: median(results.map((r) => r.totalMs)),
        peakRss: Math.max(...results.map((r) => r.peakRss)),
      };
    };
    const idle = Math.max(...Array.from({ length: 3 }, () => child('idle', path).peakRss));
    const stream = summarize('stream');
    const dom = summarize('dom');
    for (const r of [stream, dom]) {
      const label = r.phase === 'stream' ? 'shipgate (streaming saxes)' : 'baseline (whole file + full tree)';
      console.log(
        `${label.padEnd(36)} parse ${r.parseMs.toFixed(0).padStart(5)} ms  gate ${r.gateMs.toFixed(1).padStart(5)} ms  total ${r.totalMs.toFixed(0).padStart(5)} ms  peak RSS ${mb(r.peakRss).padStart(7)} (${mb(r.peakRss - idle)} above an idle process)`,
      );
    }
    const above = (r: { peakRss: number }) => Math.max(1, r.peakRss - idle);
    console.log(
      `\nratios: time baseline/shipgate ${(dom.totalMs / stream.totalMs).toFixed(2)}x, peak RSS baseline/shipgate ${(dom.peakRss / stream.peakRss).toFixed(2)}x (above idle: ${(above(dom) / above(stream)).toFixed(1)}x)`,
    );
    console.log(
      `goal: full gate decision under 1 s: ${stream.totalMs < 1000 ? 'met' : 'NOT met'} (${stream.totalMs.toFixed(0)} ms)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
