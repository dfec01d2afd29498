import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyId } from './key-id';
import type { SignerIdentity, SignerPort } from './ports';
import { signBytes } from './raw-signature';

/** A signer over a private key held in this process (a CI key, the rehearsal key). */
export function createKeySigner(privateKey: KeyObject, identity: SignerIdentity): SignerPort {
  const keyId = publicKeyId(createPublicKey(privateKey));
  return { keyId, identity, sign: async (bytes) => signBytes(privateKey, bytes) };
}
