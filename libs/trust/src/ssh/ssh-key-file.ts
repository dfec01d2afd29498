import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ShipgateError } from '@shipgate/model';
import sshpk from 'sshpk';
import { signSshSignatureBlob } from './ssh-signature-blob';
import { fromSshpk, partData } from './ssh-public-key';
import type { SshRawSigner } from './sshsig';

/** A signer over an OpenSSH private key file (`~/.ssh/id_ed25519`, also passphrase-protected ones). */
export async function loadSshKeyFile(path: string, passphrase?: string): Promise<SshRawSigner> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (cause) {
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      `expected an SSH private key at ${path}, found none (${(cause as NodeJS.ErrnoException).code})`,
      {
        hint: 'Point --key at your private key (e.g. ~/.ssh/id_ed25519), or leave it out to sign through ssh-agent (SSH_AUTH_SOCK).',
        location: { file: path },
        cause,
      },
    );
  }
  return sshSignerFromPrivateKey(text, path, passphrase);
}

/** A signer over OpenSSH (or PEM) private key text; `source` names it in errors. */
export function sshSignerFromPrivateKey(text: Buffer | string, source: string, passphrase?: string): SshRawSigner {
  let parsed: sshpk.PrivateKey;
  try {
    parsed = sshpk.parsePrivateKey(text, 'auto', passphrase === undefined ? {} : { passphrase });
  } catch (cause) {
    const encrypted =
      (cause as Error).name === 'KeyEncryptedError' || /incorrect passphrase/i.test((cause as Error).message);
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      encrypted
        ? `expected the passphrase of the SSH key ${source}, found ${passphrase === undefined ? 'none' : 'a wrong one'}`
        : `expected an OpenSSH private key in ${source}, found one that does not parse (${(cause as Error).message})`,
      {
        hint: encrypted
          ? 'Load the key into ssh-agent (`ssh-add`) and sign through SSH_AUTH_SOCK, or give its passphrase.'
          : 'Use a key `ssh-keygen -t ed25519` wrote.',
        location: { file: source },
        cause,
      },
    );
  }
  const publicKey = fromSshpk(parsed);
  const privateKey = toNodePrivateKey(parsed);
  return { publicKey, signRaw: async (data) => signSshSignatureBlob(publicKey, privateKey, data) };
}

// As for public keys: Ed25519 through JWK (sshpk's PKCS#8 for it is not OpenSSL's), others through PKCS#8.
function toNodePrivateKey(key: sshpk.PrivateKey): KeyObject {
  if (key.type === 'ed25519') {
    const seed = partData(key, 'k').subarray(0, 32);
    const x = partData(key, 'A');
    return createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: x.toString('base64url') },
      format: 'jwk',
    });
  }
  return createPrivateKey(key.toString('pkcs8'));
}
