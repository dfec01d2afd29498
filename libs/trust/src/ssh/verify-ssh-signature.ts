import { err, ok, type Result } from '@shipgate/model';
import { findAllowedPrincipals, type AllowedSigner, type SignerRefusal } from './allowed-signers';
import type { SshPublicKey } from './ssh-public-key';
import { dearmorSshsig, verifySshsig, type SshsigFailure } from './sshsig';

/** What `ssh-keygen -Y verify -f allowed_signers [-I principal] -n namespace -s sig` is given. */
export interface SshVerifyRequest {
  /** The armored text of a `.sig` file, or the binary SSHSIG blob. */
  signature: string | Buffer;
  message: Uint8Array;
  namespace: string;
  signers: AllowedSigner[];
  /** With it, only lines whose principals match count (`-I`); without, every matching principal is returned. */
  principal?: string;
  now: Date;
}

/** A verified SSH signature: the key and the principals the file allows for it. */
export interface VerifiedSshSignature {
  publicKey: SshPublicKey;
  principals: string[];
}

/** Verifies an SSH signature as `ssh-keygen -Y verify` does: signature, namespace, then the allowed signers. */
export function verifySshSignature(
  request: SshVerifyRequest,
): Result<VerifiedSshSignature, SshsigFailure | SignerRefusal> {
  const blob = typeof request.signature === 'string' ? dearmorSshsig(request.signature) : request.signature;
  if (!blob) {
    return err({ reason: 'malformed-signature', message: 'expected an armored SSH SIGNATURE, found text without one' });
  }
  const sig = verifySshsig(blob, request.message, request.namespace);
  if (!sig.ok) return sig;
  const principals = findAllowedPrincipals(
    request.signers,
    sig.value.publicKey,
    request.namespace,
    request.now,
    request.principal,
  );
  return principals.ok ? ok({ publicKey: sig.value.publicKey, principals: principals.value }) : principals;
}
