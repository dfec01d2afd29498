import { createHash, type KeyObject } from 'node:crypto';

/**
 * A public key's id: `SHA256:` + unpadded base64 of sha256 over its SubjectPublicKeyInfo DER, the
 * same shape as an OpenSSH fingerprint (which hashes the SSH wire blob instead).
 */
export function publicKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}
