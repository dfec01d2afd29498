// Signing through a real ssh-agent (/usr/bin/ssh-agent), checked with stock ssh-keygen -Y verify.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir, sshKeygen } from '../test-support';
import { createAgentSigner, listAgentKeys } from './ssh-agent';
import { parseSshPublicKey } from './ssh-public-key';
import { armorSshsig, createSshsig } from './sshsig';

const namespace = 'shipgate-approval';
let scratch: ReturnType<typeof scratchDir>;
let agent: ChildProcess;
let socketPath: string;
let ed: { path: string; publicLine: string };
let rsa: { path: string; publicLine: string };

beforeAll(async () => {
  scratch = scratchDir();
  socketPath = join(scratch.dir, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !existsSync(socketPath); i++) await sleep(25);
  if (!existsSync(socketPath)) throw new Error(`ssh-agent did not create ${socketPath} within 5 s`);
  ed = sshKeygen(scratch.dir, 'erin_ed25519', 'ed25519');
  rsa = sshKeygen(scratch.dir, 'erin_rsa', 'rsa');
  for (const key of [ed, rsa]) {
    const add = spawnSync('ssh-add', [key.path], { env: { ...process.env, SSH_AUTH_SOCK: socketPath } });
    if (add.status !== 0) throw new Error(`ssh-add failed: ${add.stderr}`);
  }
});

afterAll(() => {
  if (agent?.pid) process.kill(agent.pid);
  scratch?.remove();
});

function opensshVerifies(publicLine: string, sig: string, message: Buffer): boolean {
  const allowed = join(scratch.dir, 'allowed_signers');
  writeFileSync(allowed, `erin@example.com ${publicLine}\n`);
  const sigPath = join(scratch.dir, 'agent.sig');
  writeFileSync(sigPath, sig);
  const run = spawnSync(
    'ssh-keygen',
    ['-Y', 'verify', '-f', allowed, '-I', 'erin@example.com', '-n', namespace, '-s', sigPath],
    { input: message },
  );
  return run.status === 0;
}

describe('ssh-agent signing (#12.2)', () => {
  const options = () => ({ socketPath, timeoutMs: 10_000 });
  const message = Buffer.from('DSSEv1 28 application/vnd.in-toto+json 2 {}');

  it('lists the keys the agent holds, with their OpenSSH fingerprints', async () => {
    const keys = await listAgentKeys(options());
    expect(keys.map((k) => k.fingerprint).sort()).toEqual(
      [parseSshPublicKey(ed.publicLine).fingerprint, parseSshPublicKey(rsa.publicLine).fingerprint].sort(),
    );
  });

  it('signs through the agent (ed25519 and RSA as rsa-sha2-512) and ssh-keygen -Y verify accepts it', async () => {
    for (const key of [ed, rsa]) {
      const signer = await createAgentSigner(options(), parseSshPublicKey(key.publicLine).fingerprint);
      const sig = armorSshsig(await createSshsig(message, namespace, signer));
      expect(opensshVerifies(key.publicLine, sig, message)).toBe(true);
      expect(opensshVerifies(key.publicLine, sig, Buffer.concat([message, Buffer.from(' ')]))).toBe(false);
    }
  });

  it('refuses a key the agent does not hold, naming the ones it does', async () => {
    await expect(createAgentSigner(options(), 'SHA256:nope')).rejects.toMatchObject({
      code: 'SSH_AGENT_FAILED',
      message: expect.stringMatching(/expected the key SHA256:nope in ssh-agent at .*, found SHA256:/),
    });
  });

  it('reports an agent that is not there as SSH_AGENT_FAILED, not a crash', async () => {
    await expect(
      listAgentKeys({ socketPath: join(scratch.dir, 'missing.sock'), timeoutMs: 1000 }),
    ).rejects.toMatchObject({
      code: 'SSH_AGENT_FAILED',
      message: expect.stringMatching(/found ENOENT$/),
    });
  });
});
