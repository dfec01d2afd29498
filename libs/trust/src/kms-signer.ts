import { createHash, createPublicKey } from 'node:crypto';
import { publicKeyId } from './key-id';
import type { SignerIdentity, SignerPort } from './ports';

/** What shipgate needs of AWS KMS to sign as a CI identity (an ECC_NIST_P256 SIGN_VERIFY key). */
export interface KmsSignPort {
  /** The key's public key, DER SubjectPublicKeyInfo (GetPublicKey). */
  publicKeyDer(keyId: string): Promise<Uint8Array>;
  /** An ECDSA_SHA_256 signature (DER) over a sha256 digest (Sign with MessageType DIGEST). */
  signDigest(keyId: string, digest: Uint8Array): Promise<Uint8Array>;
}

/**
 * A DSSE signer whose private key never leaves KMS. It sends sha256(PAE) as a DIGEST (RAW is limited
 * to 4096 bytes, and a statement can be longer); the DER signature KMS returns is what verifyBytes and
 * `openssl dgst -sha256 -verify` check over the PAE bytes. The keyid is that of the public key, so the
 * trust policy finds it by the PEM committed beside shipgate.yaml.
 */
export async function createKmsSigner(kms: KmsSignPort, keyId: string, identity: SignerIdentity): Promise<SignerPort> {
  const der = await kms.publicKeyDer(keyId);
  const publicKey = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  return {
    keyId: publicKeyId(publicKey),
    identity,
    sign: (bytes) => kms.signDigest(keyId, createHash('sha256').update(bytes).digest()),
  };
}
