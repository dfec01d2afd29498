// Interop with stock OpenSSH (/usr/bin/ssh-keygen): signatures shipgate writes verify with
// `ssh-keygen -Y verify`, signatures `ssh-keygen -Y sign` writes verify with shipgate, and both refuse
// the same forgeries. (#12 "Done means": a test verifies an approval with stock ssh-keygen -Y verify.)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envelopeSignedBytes,
  IN_TOTO_PAYLOAD_TYPE,
  signStatement,
  statementPayload,
  type DsseEnvelope,
} from '../envelope';
import { APPROVAL_PREDICATE_TYPE } from '../predicates/approval';
import { approvalStatement, binding, digest, now, scratchDir, sshKeygen } from '../test-support';
import { createPolicyVerifier } from '../trust-policy';
import { verifyEnvelope } from '../verify-envelope';
import { parseAllowedSigners, type AllowedSigner } from './allowed-signers';
import { createSshDsseSigner } from './ssh-dsse-signer';
import { loadSshKeyFile } from './ssh-key-file';
import { armorSshsig, createSshsig, dearmorSshsig } from './sshsig';
import { verifySshSignature } from './verify-ssh-signature';

const namespace = 'shipgate-approval';
const carol = 'carol@example.com';
let scratch: ReturnType<typeof scratchDir>;
let keys: Record<'ed25519' | 'ecdsa' | 'rsa' | 'expired', { path: string; publicLine: string }>;
let allowedPath: string;
let signers: AllowedSigner[];
let data: Buffer;

beforeAll(async () => {
  scratch = scratchDir();
  keys = {
    ed25519: sshKeygen(scratch.dir, 'carol_ed25519', 'ed25519'),
    ecdsa: sshKeygen(scratch.dir, 'carol_ecdsa', 'ecdsa'),
    rsa: sshKeygen(scratch.dir, 'carol_rsa', 'rsa'),
    expired: sshKeygen(scratch.dir, 'dave_ed25519', 'ed25519'),
  };
  const text = [
    '# release managers',
    `${carol} namespaces="${namespace}" ${keys.ed25519.publicLine}`,
    `${carol} namespaces="${namespace}" ${keys.ecdsa.publicLine}`,
    `${carol} namespaces="${namespace}" ${keys.rsa.publicLine}`,
    `dave@example.com valid-before="20200101Z" ${keys.expired.publicLine}`,
    '',
  ].join('\n');
  allowedPath = join(scratch.dir, 'allowed_signers');
  writeFileSync(allowedPath, text);
  const parsed = parseAllowedSigners(text, allowedPath);
  if (!parsed.ok) throw new Error(parsed.error.map((p) => p.message).join('\n'));
  signers = parsed.value;
  // What a person signs: the DSSE PAE of an approval statement.
  data = envelopeSignedBytes(unsignedEnvelope());
});

afterAll(() => scratch?.remove());

function unsignedEnvelope(): DsseEnvelope {
  const payload = Buffer.from(statementPayload(approvalStatement())).toString('base64');
  return { payload, payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [] };
}

let files = 0;

/** `ssh-keygen -Y verify`, exactly as a person would run it; data on stdin. */
function opensshVerify(
  sigText: string,
  message: Buffer,
  principal: string,
  ns = namespace,
): { ok: boolean; output: string } {
  const sigPath = join(scratch.dir, `check-${++files}.sig`);
  writeFileSync(sigPath, sigText);
  const run = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowedPath, '-I', principal, '-n', ns, '-s', sigPath], {
    input: message,
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

/** `ssh-keygen -Y sign` of `message` in `ns` with a key file: the armored signature it writes. */
function opensshSign(keyPath: string, message: Buffer, ns = namespace): string {
  const messagePath = join(scratch.dir, `msg-${++files}`);
  writeFileSync(messagePath, message);
  const run = spawnSync('ssh-keygen', ['-Y', 'sign', '-f', keyPath, '-n', ns, messagePath]);
  if (run.status !== 0) throw new Error(`ssh-keygen -Y sign failed: ${run.stderr}`);
  return readFileSync(`${messagePath}.sig`, 'utf8');
}

async function shipgateSign(keyPath: string, message: Buffer, ns = namespace): Promise<string> {
  return armorSshsig(await createSshsig(message, ns, await loadSshKeyFile(keyPath)));
}

function shipgateVerify(sigText: string, message: Buffer, principal: string, ns = namespace) {
  return verifySshSignature({ signature: sigText, message, namespace: ns, signers, principal, now });
}

describe('SSHSIG interop with ssh-keygen (#12.2)', () => {
  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    it(`a ${type} signature shipgate writes verifies with ssh-keygen -Y verify (#12.2)`, async () => {
      const sig = await shipgateSign(keys[type].path, data);
      const openssh = opensshVerify(sig, data, carol);
      expect(openssh.output).toMatch(
        new RegExp(`^Good "${namespace}" signature for ${carol} with ${type.toUpperCase()} key SHA256:`),
      );
      expect(openssh.ok).toBe(true);
    });

    it(`a ${type} signature ssh-keygen -Y sign writes verifies with shipgate (#12.2)`, () => {
      const result = shipgateVerify(opensshSign(keys[type].path, data), data, carol);
      expect(result.ok ? result.value.principals : result.error).toEqual([carol]);
    });
  }

  it('writes an ed25519 signature byte-identical to the .sig file ssh-keygen -Y sign writes (#12.2)', async () => {
    // Ed25519 signatures are deterministic, so the whole armored file must match, framing and wrapping included.
    expect(await shipgateSign(keys.ed25519.path, data)).toBe(opensshSign(keys.ed25519.path, data));
  });

  describe('refused by both ssh-keygen and shipgate (#12.2)', () => {
    it('a signature made in another namespace', async () => {
      for (const sig of [
        await shipgateSign(keys.ed25519.path, data, 'file'),
        opensshSign(keys.ed25519.path, data, 'file'),
      ]) {
        expect(opensshVerify(sig, data, carol).ok).toBe(false);
        const ours = shipgateVerify(sig, data, carol);
        expect(ours.ok ? 'verified' : ours.error).toEqual({
          reason: 'namespace-mismatch',
          message: `expected SSH signature namespace "${namespace}", found "file"`,
        });
      }
    });

    it('a namespace the allowed-signers line does not permit, even when signature and -n agree', async () => {
      const sig = await shipgateSign(keys.ed25519.path, data, 'git');
      expect(opensshVerify(sig, data, carol, 'git').ok).toBe(false);
      const ours = shipgateVerify(sig, data, carol, 'git');
      expect(ours.ok ? 'verified' : ours.error.reason).toBe('namespace-not-allowed');
    });

    it('a principal the key is not listed for', async () => {
      for (const sig of [await shipgateSign(keys.ed25519.path, data), opensshSign(keys.ed25519.path, data)]) {
        expect(opensshVerify(sig, data, 'mallory@example.com').ok).toBe(false);
        const ours = shipgateVerify(sig, data, 'mallory@example.com');
        expect(ours.ok ? 'verified' : ours.error.reason).toBe('principal-not-allowed');
      }
    });

    it('a key whose valid-before has passed', async () => {
      for (const sig of [await shipgateSign(keys.expired.path, data), opensshSign(keys.expired.path, data)]) {
        expect(opensshVerify(sig, data, 'dave@example.com').ok).toBe(false);
        const ours = shipgateVerify(sig, data, 'dave@example.com');
        expect(ours.ok ? 'verified' : ours.error).toMatchObject({
          reason: 'expired',
          message: 'line 5 was valid before 2020-01-01T00:00:00.000Z, now is 2026-12-01T12:00:00.000Z',
        });
      }
    });

    it('one tampered byte of the signed data, and one of the signature', async () => {
      const tampered = Buffer.from(data);
      tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 1;
      for (const sig of [await shipgateSign(keys.ed25519.path, data), opensshSign(keys.ed25519.path, data)]) {
        expect(opensshVerify(sig, tampered, carol).ok).toBe(false);
        const ours = shipgateVerify(sig, tampered, carol);
        expect(ours.ok ? 'verified' : ours.error.reason).toBe('bad-signature');
        // The last byte of the blob is inside the ed25519 signature.
        const blob = dearmorSshsig(sig)!;
        blob[blob.length - 1] = blob[blob.length - 1]! ^ 1;
        const badSig = armorSshsig(blob);
        expect(opensshVerify(badSig, data, carol).ok).toBe(false);
        const oursSig = shipgateVerify(badSig, data, carol);
        expect(oursSig.ok ? 'verified' : oursSig.error.reason).toBe('bad-signature');
      }
    });
  });
});

describe('SSH-signed DSSE approvals (#12.2)', () => {
  const people = () => ({ signers, namespace });

  it('an approval envelope shipgate signs verifies through the trust policy and with ssh-keygen over its PAE', async () => {
    const signer = createSshDsseSigner(await loadSshKeyFile(keys.ed25519.path), namespace, carol);
    const envelope = await signStatement(approvalStatement(), [signer]);
    const result = verifyEnvelope(envelope, createPolicyVerifier({ keys: [], people: people() }), {
      subjectDigest: digest,
      predicateType: APPROVAL_PREDICATE_TYPE,
      binding,
      targetKind: 'aws',
      now,
    });
    expect(result.ok ? result.value.signers : result.error).toEqual([
      { kind: 'person', name: carol, principals: [carol], keyId: signer.keyId },
    ]);
    const sigText = armorSshsig(Buffer.from(envelope.signatures[0]!.sig, 'base64'));
    expect(opensshVerify(sigText, envelopeSignedBytes(envelope), carol).ok).toBe(true);
    // The recipe docs/attestations.md gives an auditor: PAE rebuilt by printf, nothing of shipgate.
    const envelopePath = join(scratch.dir, 'approval.json');
    writeFileSync(envelopePath, JSON.stringify(envelope));
    const script = new URL('../../scripts/verify-dsse-with-ssh-keygen.sh', import.meta.url).pathname;
    const run = spawnSync('bash', [script, envelopePath, allowedPath, carol, namespace], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`.trim()).toMatch(
      new RegExp(`^Good "${namespace}" signature for ${carol} with ED25519 key`),
    );
    expect(run.status).toBe(0);
    const other = spawnSync('bash', [script, envelopePath, allowedPath, 'mallory@example.com', namespace]);
    expect(other.status).not.toBe(0);
  });

  it('an approval whose signature ssh-keygen -Y sign wrote over the PAE verifies as a DSSE envelope', async () => {
    const envelope = unsignedEnvelope();
    const sig = dearmorSshsig(opensshSign(keys.rsa.path, envelopeSignedBytes(envelope)))!;
    const signed = { ...envelope, signatures: [{ keyid: '', sig: sig.toString('base64') }] };
    const verifier = createPolicyVerifier({ keys: [], people: people() });
    const expectation = {
      subjectDigest: digest,
      predicateType: APPROVAL_PREDICATE_TYPE,
      binding,
      targetKind: 'aws' as const,
      now,
    };
    const result = verifyEnvelope(signed, verifier, expectation);
    expect(result.ok ? result.value.signers[0]?.name : result.error).toBe(carol);
    // The same signature offered under another namespace policy is refused.
    const other = verifyEnvelope(
      signed,
      createPolicyVerifier({ keys: [], people: { signers, namespace: 'shipgate-override' } }),
      expectation,
    );
    expect(other.ok ? 'verified' : other.error.reason).toBe('signer-not-allowed');
  });

  it('an approval signed by a key in no allowed-signers line is an unknown key', async () => {
    const stranger = sshKeygen(scratch.dir, 'mallory', 'ed25519');
    const signer = createSshDsseSigner(await loadSshKeyFile(stranger.path), namespace, carol);
    const envelope = await signStatement(approvalStatement(), [signer]);
    const result = verifyEnvelope(envelope, createPolicyVerifier({ keys: [], people: people() }), {
      subjectDigest: digest,
      predicateType: APPROVAL_PREDICATE_TYPE,
      targetKind: 'aws',
      now,
    });
    expect(result.ok ? 'verified' : result.error.reason).toBe('unknown-key');
  });

  it('an SSH-signed approval is an unknown key to a policy that names no people', async () => {
    const signer = createSshDsseSigner(await loadSshKeyFile(keys.ed25519.path), namespace, carol);
    const envelope = await signStatement(approvalStatement(), [signer]);
    const result = verifyEnvelope(envelope, createPolicyVerifier({ keys: [] }), {
      subjectDigest: digest,
      predicateType: APPROVAL_PREDICATE_TYPE,
      targetKind: 'aws',
      now,
    });
    expect(result.ok ? 'verified' : result.error.reason).toBe('unknown-key');
  });
});
