import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir, sshKeygen } from '../test-support';
import { loadSshKeyFile } from './ssh-key-file';
import { parseSshPublicKey } from './ssh-public-key';
import { createSshsig, verifySshsig } from './sshsig';

let scratch: ReturnType<typeof scratchDir>;
beforeAll(() => {
  scratch = scratchDir();
});
afterAll(() => scratch?.remove());

describe('SSH key files (#12.2)', () => {
  it('signs with a passphrase-protected key given its passphrase', async () => {
    const key = sshKeygen(scratch.dir, 'locked', 'ed25519', 'correct horse');
    const signer = await loadSshKeyFile(key.path, 'correct horse');
    expect(signer.publicKey.fingerprint).toBe(parseSshPublicKey(key.publicLine).fingerprint);
    const sig = await createSshsig(Buffer.from('x'), 'shipgate-approval', signer);
    expect(verifySshsig(sig, Buffer.from('x'), 'shipgate-approval').ok).toBe(true);
  });

  it('asks for the passphrase (or the agent) when the key is locked, and says when it is wrong', async () => {
    const key = sshKeygen(scratch.dir, 'locked2', 'ed25519', 'pw');
    await expect(loadSshKeyFile(key.path)).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: `expected the passphrase of the SSH key ${key.path}, found none`,
      hint: expect.stringMatching(/ssh-add/),
    });
    await expect(loadSshKeyFile(key.path, 'wrong')).rejects.toMatchObject({
      message: expect.stringMatching(/found a wrong one$/),
    });
  });

  it('reports a missing key file with its path', async () => {
    const path = join(scratch.dir, 'nope');
    await expect(loadSshKeyFile(path)).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      message: `expected an SSH private key at ${path}, found none (ENOENT)`,
    });
  });
});
