/**
 * Trust benchmark (#12's goal: the gate with verification ≤ 2× the gate without): verifying 100
 * evidence envelopes (ed25519 CI key) and 10 SSH-signed approvals (ssh-keygen ed25519 key, SSHSIG,
 * allowed-signers file parsed each round), next to the baseline of today's gate: decoding the same
 * payloads, parsing them and hashing them, with no signature checked. Median of BENCH_ROUNDS rounds.
 *
 *   npx tsx libs/trust/bench/verify.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha256Hex } from '@shipgate/model';
import {
  APPROVAL_PREDICATE_TYPE,
  createKeySigner,
  createPolicyVerifier,
  createSshDsseSigner,
  createStatement,
  envelopeSignedBytes,
  loadSshKeyFile,
  parseAllowedSigners,
  QA_CONFIGURATION_NAME,
  signStatement,
  TEST_RESULT_PREDICATE_TYPE,
  verifyEnvelope,
  verifySshsig,
  type DsseEnvelope,
} from '../src/index';
import { verifyBytes } from '../src/raw-signature';

const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const digest = `sha256:${'ab'.repeat(32)}`;
const binding = { service: 'sample-service', releaseId: 'rel-3f9a0c1d2e4b5a69', environment: 'production' };
const now = new Date('2026-12-01T12:00:00Z');
const namespace = 'shipgate-approval';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-trust-bench-'));
try {
  const ci = generateKeyPairSync('ed25519');
  const ciSigner = createKeySigner(ci.privateKey, { kind: 'ci', name: 'ci:staging' });
  const evidence: DsseEnvelope[] = [];
  for (let i = 0; i < 100; i++) {
    const statement = createStatement({
      subjectDigest: digest,
      predicateType: TEST_RESULT_PREDICATE_TYPE,
      predicate: {
        result: 'PASSED',
        configuration: [
          {
            name: QA_CONFIGURATION_NAME,
            uri: `https://github.com/example/shipgate/actions/runs/${i}`,
            annotations: {
              ...binding,
              command: 'npx vitest run',
              exitCode: 0,
              startedAt: '2026-12-01T10:00:00Z',
              finishedAt: '2026-12-01T10:02:00Z',
            },
          },
        ],
        passedTests: Array.from({ length: 40 }, (_, t) => `suite ${i} test ${t}`),
        failedTests: [],
      },
    });
    evidence.push(await signStatement(statement, [ciSigner]));
  }
  const managers = Array.from({ length: 10 }, (_, m) => {
    const path = join(dir, `manager${m}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `m${m}`, '-f', path]);
    return { path, principal: `manager${m}@example.com`, line: readFileSync(`${path}.pub`, 'utf8').trim() };
  });
  const allowedText = managers.map((m) => `${m.principal} namespaces="${namespace}" ${m.line}`).join('\n');
  const approvals: DsseEnvelope[] = [];
  for (const m of managers) {
    const signer = createSshDsseSigner(await loadSshKeyFile(m.path), namespace, m.principal);
    const statement = createStatement({
      subjectDigest: digest,
      predicateType: APPROVAL_PREDICATE_TYPE,
      predicate: { ...binding, decidedAt: '2026-12-01T11:00:00Z' },
    });
    approvals.push(await signStatement(statement, [signer]));
  }
  const all = [...evidence, ...approvals];

  const baseline = () => {
    let bytes = 0;
    for (const envelope of all) {
      const payload = Buffer.from(envelope.payload, 'base64');
      JSON.parse(payload.toString('utf8'));
      sha256Hex(payload);
      bytes += payload.length;
    }
    return bytes;
  };
  const verified = () => {
    const signers = parseAllowedSigners(allowedText);
    if (!signers.ok) throw new Error('allowed signers did not parse');
    const verifier = createPolicyVerifier({
      keys: [{ publicKey: ci.publicKey, identity: { kind: 'ci', name: 'ci:staging' } }],
      people: { signers: signers.value, namespace },
    });
    const base = { subjectDigest: digest, binding, targetKind: 'aws' as const, now };
    for (const e of evidence) {
      if (!verifyEnvelope(e, verifier, { ...base, predicateType: TEST_RESULT_PREDICATE_TYPE }).ok)
        throw new Error('evidence refused');
    }
    for (const a of approvals) {
      if (!verifyEnvelope(a, verifier, { ...base, predicateType: APPROVAL_PREDICATE_TYPE }).ok)
        throw new Error('approval refused');
    }
  };
  // The floor inside `verified`: the signature checks alone (PAE built, no schema, no policy).
  const signaturesOnly = () => {
    for (const e of evidence) {
      if (!verifyBytes(ci.publicKey, envelopeSignedBytes(e), Buffer.from(e.signatures[0]!.sig, 'base64')))
        throw new Error('bad');
    }
    for (const a of approvals) {
      if (!verifySshsig(Buffer.from(a.signatures[0]!.sig, 'base64'), envelopeSignedBytes(a), namespace).ok)
        throw new Error('bad');
    }
  };
  const median = (run: () => unknown) => {
    run(); // warm up
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  };
  const payloadBytes = baseline();
  const baseMs = median(baseline);
  const verifyMs = median(verified);
  const signaturesMs = median(signaturesOnly);
  console.log(
    `trust: ${evidence.length} evidence envelopes + ${approvals.length} SSH approvals, ${payloadBytes} payload bytes, median of ${rounds} rounds`,
  );
  console.log(`  hash only (no verification):   ${baseMs.toFixed(2)} ms`);
  console.log(`  verify (DSSE + SSHSIG + policy): ${verifyMs.toFixed(2)} ms`);
  console.log(`  of which signature checks alone: ${signaturesMs.toFixed(2)} ms`);
  console.log(`  ratio verify / hash only:       ${(verifyMs / baseMs).toFixed(1)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
