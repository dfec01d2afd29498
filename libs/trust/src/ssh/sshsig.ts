import { createHash } from 'node:crypto';
import { err, ok, type Result } from '@shipgate/model';
import { sshPublicKeyFromBlob, type SshPublicKey } from './ssh-public-key';
import { verifySshSignatureBlob } from './ssh-signature-blob';
import { SshReader, SshWriter } from './ssh-wire';

// SSHSIG, the format `ssh-keygen -Y sign` writes (OpenSSH PROTOCOL.sshsig). Hand-written: no
// maintained npm package writes it, and the framing is a handful of SSH strings. Keys and curve
// arithmetic stay with sshpk and node:crypto.
//   blob   = "SSHSIG" u32(1) string(publickey) string(namespace) string(reserved) string(hash) string(signature)
//   signed = "SSHSIG" string(namespace) string(reserved) string(hash) string(H(message))

const MAGIC = 'SSHSIG';
const VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
/** The hash shipgate signs with (ssh-keygen's default); sha256 is accepted when verifying, as OpenSSH does. */
export const SSHSIG_HASH = 'sha512';
const allowedHashes = ['sha512', 'sha256'];

/** Something that makes SSH signature blobs with one key: a key file or ssh-agent. */
export interface SshRawSigner {
  publicKey: SshPublicKey;
  /** An SSH signature blob (string algorithm, string signature) over `data`. */
  signRaw(data: Buffer): Promise<Buffer>;
}

/** The bytes an SSHSIG signature actually signs. */
export function sshsigSignedData(namespace: string, hash: string, message: Uint8Array): Buffer {
  const digest = createHash(hash).update(message).digest();
  return new SshWriter().raw(MAGIC).string(namespace).string('').string(hash).string(digest).bytes();
}

/** Signs `message` in `namespace`: the binary SSHSIG blob (armor it for a `.sig` file). */
export async function createSshsig(message: Uint8Array, namespace: string, signer: SshRawSigner): Promise<Buffer> {
  const signature = await signer.signRaw(sshsigSignedData(namespace, SSHSIG_HASH, message));
  return new SshWriter()
    .raw(MAGIC)
    .u32(VERSION)
    .string(signer.publicKey.blob)
    .string(namespace)
    .string('')
    .string(SSHSIG_HASH)
    .string(signature)
    .bytes();
}

/** The armored text `ssh-keygen -Y sign` writes: base64 wrapped at 70 columns between BEGIN/END lines. */
export function armorSshsig(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const lines = b64.match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** The binary blob of an armored signature, or undefined when the armor is not there. */
export function dearmorSshsig(text: string): Buffer | undefined {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start !== 0 || end < 0) return undefined;
  const body = text.slice(BEGIN.length, end).replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(body) ? Buffer.from(body, 'base64') : undefined;
}

/** True when the bytes start as an SSHSIG blob does. */
export function looksLikeSshsig(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') === MAGIC;
}

/** The parts of an SSHSIG blob. */
export interface ParsedSshsig {
  publicKey: SshPublicKey;
  namespace: string;
  hash: string;
  signature: Buffer;
}

/** Why an SSHSIG signature was refused. */
export interface SshsigFailure {
  reason: 'malformed-signature' | 'namespace-mismatch' | 'unsupported-hash' | 'bad-signature';
  message: string;
}

/** Parses an SSHSIG blob, checking magic, version and that nothing trails it. */
export function parseSshsig(blob: Buffer): Result<ParsedSshsig, SshsigFailure> {
  try {
    const reader = new SshReader(blob);
    if (reader.raw(MAGIC.length).toString('latin1') !== MAGIC) throw new RangeError('no SSHSIG magic');
    const version = reader.u32();
    if (version !== VERSION) throw new RangeError(`version ${version}`);
    const keyBlob = reader.string();
    const namespace = reader.text();
    reader.string(); // reserved
    const hash = reader.text();
    const signature = reader.string();
    if (reader.remaining !== 0) throw new RangeError('trailing data');
    return ok({ publicKey: sshPublicKeyFromBlob(keyBlob), namespace, hash, signature });
  } catch (e) {
    return err({
      reason: 'malformed-signature',
      message: `expected an SSHSIG v1 signature, found one shipgate cannot read (${(e as Error).message})`,
    });
  }
}

/**
 * Verifies an SSHSIG blob over `message` in `namespace`: the signature is the embedded key's. Whether
 * that key may sign is the allowed-signers file's question (findAllowedPrincipals).
 */
export function verifySshsig(
  blob: Buffer,
  message: Uint8Array,
  namespace: string,
): Result<ParsedSshsig, SshsigFailure> {
  const parsed = parseSshsig(blob);
  if (!parsed.ok) return parsed;
  const sig = parsed.value;
  if (sig.namespace !== namespace) {
    return err({
      reason: 'namespace-mismatch',
      message: `expected SSH signature namespace ${JSON.stringify(namespace)}, found ${JSON.stringify(sig.namespace)}`,
    });
  }
  if (!allowedHashes.includes(sig.hash)) {
    return err({
      reason: 'unsupported-hash',
      message: `expected hash ${allowedHashes.join(' or ')}, found ${JSON.stringify(sig.hash)}`,
    });
  }
  if (!verifySshSignatureBlob(sig.publicKey, sshsigSignedData(namespace, sig.hash, message), sig.signature)) {
    return err({
      reason: 'bad-signature',
      message: `expected a valid signature by ${sig.publicKey.fingerprint} over these bytes, found one that does not verify`,
    });
  }
  return ok(sig);
}
