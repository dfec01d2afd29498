import type { KeyObject } from 'node:crypto';
import { err, ok } from '@shipgate/model';
import { publicKeyId } from './key-id';
import type { SignerIdentity, VerifierPort } from './ports';
import { verifyBytes } from './raw-signature';
import type { AllowedSigner } from './ssh/allowed-signers';
import { looksLikeSshsig } from './ssh/sshsig';
import { verifySshSignature } from './ssh/verify-ssh-signature';

/** A public key the policy trusts, and whose it is. */
export interface TrustedKey {
  publicKey: KeyObject;
  identity: SignerIdentity;
  /** The rehearsal's key: accepted only when the target is local-cloud. */
  localCloudOnly?: boolean;
}

/** Which keys and people a verification accepts. */
export interface TrustPolicy {
  /** CI and rehearsal keys (ed25519 / ECDSA), signing the PAE bytes directly. */
  keys: TrustedKey[];
  /** People: SSHSIG signatures over the PAE bytes, checked against an allowed-signers file. */
  people?: { signers: AllowedSigner[]; namespace: string };
}

/**
 * The VerifierPort for a trust policy. A keyid naming a trusted key is checked as a raw signature by
 * that key; an SSHSIG signature is checked against the allowed signers (the keyid is only a hint there:
 * the key is the one embedded in the signature, and the file decides whether it may sign).
 */
export function createPolicyVerifier(policy: TrustPolicy): VerifierPort {
  const byId = new Map(policy.keys.map((k) => [publicKeyId(k.publicKey), k]));
  return {
    verifySignature(keyId, signedBytes, signature, context) {
      const trusted = byId.get(keyId);
      if (trusted) {
        if (trusted.localCloudOnly && context.targetKind !== 'local-cloud') {
          return err({
            reason: 'key-not-allowed-for-target',
            message: `expected a local-cloud target for the ${trusted.identity.name} key ${keyId}, found target ${context.targetKind}`,
          });
        }
        if (!verifyBytes(trusted.publicKey, signedBytes, signature)) {
          return err({
            reason: 'bad-signature',
            message: `expected a valid signature by ${keyId} (${trusted.identity.name}), found one that does not verify`,
          });
        }
        return ok({ ...trusted.identity, keyId });
      }
      if (policy.people && looksLikeSshsig(signature)) {
        const verified = verifySshSignature({
          signature: Buffer.from(signature),
          message: signedBytes,
          ...policy.people,
          now: context.now,
        });
        if (!verified.ok) {
          const { reason, message } = verified.error;
          return err({
            reason: reason === 'bad-signature' || reason === 'unknown-key' ? reason : 'signer-not-allowed',
            message,
          });
        }
        const { principals, publicKey } = verified.value;
        return ok({ kind: 'person', name: principals[0]!, principals, keyId: publicKey.fingerprint });
      }
      return err({
        reason: 'unknown-key',
        message: `expected a key the trust policy names, found keyid ${JSON.stringify(keyId)}`,
      });
    },
  };
}
