import { sign, verify, type KeyObject } from 'node:crypto';
import type { SshPublicKey } from './ssh-public-key';
import { SshReader, SshWriter } from './ssh-wire';

// The inner SSH signature blob (RFC 4253 §6.6, RFC 5656 §3.1.2, RFC 8332): string algorithm name,
// string signature. Hand-written because node:crypto signs and verifies but knows nothing of SSH framing.

const ecdsaCurves: Record<string, { hash: string; size: number }> = {
  'ecdsa-sha2-nistp256': { hash: 'sha256', size: 32 },
  'ecdsa-sha2-nistp384': { hash: 'sha384', size: 48 },
  'ecdsa-sha2-nistp521': { hash: 'sha512', size: 66 },
};
const rsaAlgorithms: Record<string, string> = { 'rsa-sha2-512': 'sha512', 'rsa-sha2-256': 'sha256' };

/** Signs `data` with a private key into an SSH signature blob (RSA as rsa-sha2-512, as ssh-keygen does). */
export function signSshSignatureBlob(publicKey: SshPublicKey, privateKey: KeyObject, data: Uint8Array): Buffer {
  if (publicKey.type === 'ssh-ed25519') {
    return new SshWriter()
      .string('ssh-ed25519')
      .string(sign(null, data, privateKey))
      .bytes();
  }
  const curve = ecdsaCurves[publicKey.type];
  if (curve) {
    const rs = sign(curve.hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const inner = new SshWriter().mpint(rs.subarray(0, curve.size)).mpint(rs.subarray(curve.size)).bytes();
    return new SshWriter().string(publicKey.type).string(inner).bytes();
  }
  return new SshWriter()
    .string('rsa-sha2-512')
    .string(sign('sha512', data, privateKey))
    .bytes();
}

/** True when `blob` is a valid SSH signature by `publicKey` over `data`; false for anything malformed. */
export function verifySshSignatureBlob(publicKey: SshPublicKey, data: Uint8Array, blob: Buffer): boolean {
  try {
    const reader = new SshReader(blob);
    const algorithm = reader.text();
    const signature = reader.string();
    if (reader.remaining !== 0) return false;
    if (publicKey.type === 'ssh-ed25519') {
      return algorithm === 'ssh-ed25519' && verify(null, data, publicKey.key, signature);
    }
    const curve = ecdsaCurves[publicKey.type];
    if (curve) {
      if (algorithm !== publicKey.type) return false;
      const inner = new SshReader(signature);
      const r = fixedWidth(inner.string(), curve.size);
      const s = fixedWidth(inner.string(), curve.size);
      if (!r || !s || inner.remaining !== 0) return false;
      return verify(curve.hash, data, { key: publicKey.key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]));
    }
    // ssh-rsa (SHA-1) signatures are refused, as OpenSSH refuses them for SSHSIG.
    const hash = rsaAlgorithms[algorithm];
    return publicKey.type === 'ssh-rsa' && hash !== undefined && verify(hash, data, publicKey.key, signature);
  } catch {
    return false;
  }
}

function fixedWidth(mpint: Buffer, size: number): Buffer | undefined {
  let b = mpint;
  while (b.length > size && b[0] === 0) b = b.subarray(1);
  if (b.length > size) return undefined;
  return Buffer.concat([Buffer.alloc(size - b.length), b]);
}
