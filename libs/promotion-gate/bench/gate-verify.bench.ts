/**
 * The production gate with signature verification (#12): 100 signed evidence records (QA and stress
 * from staging, each a DSSE envelope by staging's CI key) and 10 SSH-signed approvals in a file-system
 * ledger, read and decided; against the same gate, same ledger, same records, with a verifier that
 * accepts every signature without checking it (what the gate cost before records were signed, plus
 * the record checks that need no cryptography). Same run, ratio printed; the goal is ≤ 2× and < 1 s.
 *
 *   nice -n 10 npx tsx libs/promotion-gate/bench/gate-verify.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FsStateStore, openLedger } from '@shipgate/ledger';
import { cryptoRandom, systemClock, type Evidence } from '@shipgate/model';
import { ok, type Result } from '@shipgate/model';
import { RELEASE_PREDICATE_TYPE, type VerifiedIdentity, type VerifierPort } from '@shipgate/trust';
import { evaluateGate } from '../src/index';
import {
  approval,
  context,
  now,
  policy,
  qaFrom,
  release as unsignedRelease,
  stagingDeployment,
  stressFrom,
  trustWorld,
} from '../src/testing/gate-fixtures';

const people = ['alice', 'carol', 'bob', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory'];
const world = await trustWorld([...people, 'dave']);
const dir = await mkdtemp(join(tmpdir(), 'gate-verify-bench-'));
try {
  const ledger = openLedger(new FsStateStore(dir), { clock: systemClock, random: cryptoRandom });
  // The release as the build identity signs it: the approvals check believes its authors only then.
  const release = await world.signRelease(unsignedRelease);
  await ledger.deployments.start(await world.signDeployment(stagingDeployment()), 'ci-bot');
  for (let i = 0; i < 50; i++) {
    const at = { recordedAt: new Date(Date.parse('2026-06-10T09:00:00Z') + i * 1000) };
    await ledger.evidence.add(await world.sign(await qaFrom('vitest-pass.junit.xml', at)), 'ci-bot');
    await ledger.evidence.add(await world.sign(await stressFrom('k6-pass.handle-summary.json', at)), 'ci-bot');
  }
  for (const p of people)
    await ledger.evidence.add(await world.sign(approval(p, { recordedAt: context().recordedAt })), p);

  // Accepts every signature as the CI key or the person the record names: verification without the cryptography.
  const acceptAll: VerifierPort = {
    verifySignature(keyId, bytes): Result<VerifiedIdentity, never> {
      const text = Buffer.from(bytes).toString('utf8');
      const approver = /"approver":"([^"]+)"/.exec(text)?.[1];
      if (text.includes(RELEASE_PREDICATE_TYPE)) return ok({ kind: 'ci', name: 'build CI', build: true, keyId });
      return ok(
        approver
          ? { kind: 'person', name: approver, principals: [approver], keyId }
          : { kind: 'ci', name: 'staging CI', environment: 'staging', keyId },
      );
    },
  };
  const gatePolicy = policy((p) => ({ ...p, qa: { minTests: 10, maxFailures: 0, maxSkipped: 5 } }));
  const decide = async (verifier: VerifierPort) => {
    const start = performance.now();
    const [evidence, deployments] = await Promise.all([
      ledger.evidence.list({ digest: release.digest }),
      ledger.deployments.list({ service: release.service, environment: 'staging' }),
    ]);
    const decision = evaluateGate({
      release,
      environment: 'production',
      policy: gatePolicy,
      evidence: evidence as Evidence<unknown>[],
      deployments,
      now,
      trust: { verifier, targetKind: 'aws' },
    });
    if (decision.outcome !== 'pass')
      throw new Error(
        `expected a pass, found ${JSON.stringify(decision.requirements.filter((r) => r.status !== 'pass'))}`,
      );
    return { ms: performance.now() - start, records: evidence.length };
  };
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  await decide(world.trust.verifier); // warm-up: module loading, JIT
  await decide(acceptAll);
  const verified: number[] = [];
  const unverified: number[] = [];
  let records = 0;
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that load on the machine falls on both alike.
    const v = await decide(world.trust.verifier);
    verified.push(v.ms);
    records = v.records;
    unverified.push((await decide(acceptAll)).ms);
  }
  const withMs = median(verified);
  const withoutMs = median(unverified);
  console.log(
    `gate with signature verification: ${records} records (100 evidence + ${people.length} approvals) and the signed release, from a file-system ledger, ${runs} runs, median`,
  );
  console.log(`  verified (ed25519 CI key, SSHSIG approvals): ${withMs.toFixed(1)} ms`);
  console.log(`  same gate, every signature accepted unchecked: ${withoutMs.toFixed(1)} ms`);
  console.log(
    `ratio verified / unverified: ${(withMs / withoutMs).toFixed(2)}x (goal ≤ 2x); absolute: ${withMs < 1000 ? 'under' : 'OVER'} 1 s`,
  );
} finally {
  world.remove();
  await rm(dir, { recursive: true, force: true });
}
