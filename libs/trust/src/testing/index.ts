// For other libraries' tests (gate, ledger): real keys made in memory, never fakes of verification.
import { generateKeyPairSync } from 'node:crypto';
import { createKeySigner } from '../key-signer';
import type { SignerIdentity, SignerPort } from '../ports';
import type { TrustedKey } from '../trust-policy';

/** A fresh ed25519 key for a CI identity: the signer, and the entry a trust policy lists for it. */
export function makeCiKey(
  name: string,
  options: { localCloudOnly?: boolean } = {},
): { signer: SignerPort; trusted: TrustedKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const identity: SignerIdentity = { kind: options.localCloudOnly ? 'local-rehearsal' : 'ci', name };
  return {
    signer: createKeySigner(privateKey, identity),
    trusted: { publicKey, identity, ...(options.localCloudOnly ? { localCloudOnly: true } : {}) },
  };
}
