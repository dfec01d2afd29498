// A second, independent implementation of the envelope scheme: scripts/verify-dsse-with-openssl.sh
// rebuilds the DSSE PAE with printf and checks the signature with the OpenSSL command line, so neither
// shipgate's PAE nor its base64 nor its signature code is on the verifying side. (#12 "Done means")
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStatement, type DsseEnvelope } from './envelope';
import { createKeySigner } from './key-signer';
import { TEST_RESULT_PREDICATE_TYPE } from './predicates/test-result';
import { digest, qaStatement, scratchDir } from './test-support';

const script = new URL('../scripts/verify-dsse-with-openssl.sh', import.meta.url).pathname;
let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir();
});
afterAll(() => scratch?.remove());

function opensslVerify(envelope: DsseEnvelope, publicKey: KeyObject): { ok: boolean; stdout: string } {
  const envelopePath = join(scratch.dir, 'envelope.json');
  const keyPath = join(scratch.dir, 'key.pem');
  writeFileSync(envelopePath, JSON.stringify(envelope));
  writeFileSync(keyPath, publicKey.export({ type: 'spki', format: 'pem' }));
  const run = spawnSync('bash', [script, envelopePath, keyPath], { encoding: 'utf8' });
  return { ok: run.status === 0, stdout: run.stdout.trim() };
}

describe('DSSE envelopes checked by OpenSSL, independently of shipgate (#12.1)', () => {
  for (const [name, pair] of [
    ['Ed25519', generateKeyPairSync('ed25519')],
    ['ECDSA P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const) {
    it(`an evidence envelope shipgate signs with ${name} verifies with openssl over a PAE built by printf`, async () => {
      const envelope = await signStatement(qaStatement(), [
        createKeySigner(pair.privateKey, { kind: 'ci', name: 'ci:staging' }),
      ]);
      expect(opensslVerify(envelope, pair.publicKey)).toEqual({
        ok: true,
        stdout: `${TEST_RESULT_PREDICATE_TYPE} ${digest}`,
      });
    });

    it(`openssl refuses the ${name} envelope once one payload byte is changed`, async () => {
      const envelope = await signStatement(qaStatement(), [
        createKeySigner(pair.privateKey, { kind: 'ci', name: 'ci:staging' }),
      ]);
      const payload = Buffer.from(envelope.payload, 'base64');
      payload[payload.indexOf('PASSED')] = 'Q'.charCodeAt(0);
      expect(opensslVerify({ ...envelope, payload: payload.toString('base64') }, pair.publicKey).ok).toBe(false);
    });
  }

  it('openssl refuses a signature by another key', async () => {
    const signer = generateKeyPairSync('ed25519');
    const envelope = await signStatement(qaStatement(), [
      createKeySigner(signer.privateKey, { kind: 'ci', name: 'ci:staging' }),
    ]);
    expect(opensslVerify(envelope, generateKeyPairSync('ed25519').publicKey).ok).toBe(false);
  });
});
