import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import { createKeySigner } from './key-signer';
import type { SignerPort } from './ports';
import type { TrustedKey } from './trust-policy';

/** Where under the state directory the rehearsal key lives. */
export const REHEARSAL_KEY_FILE = join('trust', 'local-rehearsal-ed25519.pem');
const identity = { kind: 'local-rehearsal', name: 'local-rehearsal' } as const;

/**
 * Makes the `local-rehearsal` profile's ed25519 key under the state directory (0600, its folder 0700),
 * or keeps the one already there, and returns a signer over it.
 */
export async function generateRehearsalKey(stateDir: string): Promise<SignerPort> {
  const path = join(stateDir, REHEARSAL_KEY_FILE);
  const existing = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (existing !== undefined) return rehearsalSignerFromPem(existing, path);
  await mkdir(join(stateDir, 'trust'), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // `wx`: two rehearsals starting at once must not overwrite each other's key.
  try {
    await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return rehearsalSignerFromPem(await readFile(path, 'utf8'), path);
    throw e;
  }
  await chmod(path, 0o600); // the umask may have narrowed `mode`, never widened it; make it exact
  return createKeySigner(privateKey, identity);
}

function rehearsalSignerFromPem(pem: string, path: string): SignerPort {
  try {
    return createKeySigner(createPrivateKey(pem), identity);
  } catch (cause) {
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      `expected an ed25519 PEM key at ${path}, found one that does not parse`,
      {
        hint: `Delete ${path}; the next rehearsal makes a new one.`,
        location: { file: path },
        cause,
      },
    );
  }
}

/** The trust-policy entry for the rehearsal key: accepted only against local-cloud. */
export async function rehearsalTrustedKey(stateDir: string): Promise<TrustedKey> {
  const path = join(stateDir, REHEARSAL_KEY_FILE);
  const pem = await readFile(path, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      `expected the rehearsal key at ${path}, found none (${cause.code})`,
      {
        hint: 'Run `npm start` (the rehearsal makes its key), or point --state at the rehearsal state directory.',
        location: { file: path },
        cause,
      },
    );
  });
  return { publicKey: createPublicKey(pem), identity, localCloudOnly: true };
}
