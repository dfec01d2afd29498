import { sign, verify, type KeyObject } from 'node:crypto';

// Ed25519 hashes internally (no digest argument); ECDSA uses the curve's hash and DER signatures,
// as DSSE and Sigstore tooling (cosign, sigstore-js, openssl pkeyutl) expect.
function digestFor(key: KeyObject): string | null {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return null;
    case 'ec':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256';
    default:
      throw new TypeError(`signing key: expected ed25519 or ECDSA, found ${key.asymmetricKeyType}`);
  }
}

/** Signs bytes with an ed25519 or ECDSA private key. */
export function signBytes(privateKey: KeyObject, bytes: Uint8Array): Buffer {
  return sign(digestFor(privateKey), bytes, { key: privateKey, dsaEncoding: 'der' });
}

/** True when `signature` is the key's signature over `bytes`; false for any malformed signature. */
export function verifyBytes(publicKey: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(digestFor(publicKey), bytes, { key: publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
