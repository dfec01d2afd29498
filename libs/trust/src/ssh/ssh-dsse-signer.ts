import type { SignerPort } from '../ports';
import { createSshsig, type SshRawSigner } from './sshsig';

/**
 * A DSSE signer for a person: the signature over the PAE bytes is an SSHSIG blob in `namespace`, so
 * `ssh-keygen -Y verify` checks it against the PAE bytes with nothing shipgate-specific. The keyid is
 * the key's OpenSSH fingerprint.
 */
export function createSshDsseSigner(signer: SshRawSigner, namespace: string, principal: string): SignerPort {
  return {
    keyId: signer.publicKey.fingerprint,
    identity: { kind: 'person', name: principal },
    sign: (pae) => createSshsig(pae, namespace, signer),
  };
}
