import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import sshpk from 'sshpk';

/** An SSH public key: its wire blob (what SSHSIG embeds), OpenSSH fingerprint, and a node:crypto key. */
export interface SshPublicKey {
  /** The wire key type: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, … */
  type: string;
  blob: Buffer;
  /** `SHA256:<base64>`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  key: KeyObject;
}

/** The key types shipgate verifies and signs with. */
export const supportedSshKeyTypes = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
] as const;

/** A key from its SSH wire blob. Throws (sshpk's error, or TypeError) on a blob it cannot read. */
export function sshPublicKeyFromBlob(blob: Buffer): SshPublicKey {
  return fromSshpk(sshpk.parseKey(blob, 'rfc4253'));
}

/** A key from an OpenSSH public-key line (`ssh-ed25519 AAAA… comment`). Throws on one it cannot read. */
export function parseSshPublicKey(line: string): SshPublicKey {
  return fromSshpk(sshpk.parseKey(line, 'ssh'));
}

/** Converts an sshpk key (public or private) to shipgate's SshPublicKey. */
export function fromSshpk(parsed: sshpk.Key | sshpk.PrivateKey): SshPublicKey {
  const key = parsed instanceof sshpk.PrivateKey ? parsed.toPublic() : parsed;
  const blob = key.toBuffer('rfc4253');
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('ascii');
  if (!(supportedSshKeyTypes as readonly string[]).includes(type)) {
    throw new TypeError(`SSH key: expected one of ${supportedSshKeyTypes.join(', ')}, found ${type}`);
  }
  return { type, blob, fingerprint: sshFingerprint(blob), key: toNodePublicKey(key) };
}

/** The OpenSSH SHA256 fingerprint of a wire blob. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

// sshpk writes Ed25519 keys in a PKCS#8 form OpenSSL does not read, so Ed25519 goes through JWK;
// ECDSA and RSA keys go through the SubjectPublicKeyInfo PEM sshpk writes.
function toNodePublicKey(key: sshpk.Key): KeyObject {
  if (key.type === 'ed25519') {
    const a = partData(key, 'A');
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: a.toString('base64url') }, format: 'jwk' });
  }
  return createPublicKey(key.toString('pkcs8'));
}

/** The raw bytes of one part of an sshpk key (`A`, `k`, …). */
export function partData(key: sshpk.Key | sshpk.PrivateKey, name: string): Buffer {
  const part = (key.part as unknown as Record<string, { data: Buffer } | undefined>)[name];
  if (!part) throw new TypeError(`SSH key: part ${name} is missing`);
  return part.data;
}
