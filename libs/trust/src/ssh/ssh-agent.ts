import { connect } from 'node:net';
import { ShipgateError } from '@shipgate/model';
import { sshPublicKeyFromBlob, supportedSshKeyTypes, type SshPublicKey } from './ssh-public-key';
import type { SshRawSigner } from './sshsig';
import { SshReader, SshWriter } from './ssh-wire';

// The ssh-agent protocol (draft-miller-ssh-agent), the two requests shipgate needs. Hand-written:
// it is a length-prefixed message over a Unix socket, and the npm agent clients add more than they save.
const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;
const RSA_SHA2_512 = 4;

/** Where the agent is and how long one request may take (a confirm-on-use key waits for a person). */
export interface SshAgentOptions {
  socketPath: string;
  timeoutMs: number;
}

/** The keys the agent holds that shipgate can sign with. */
export async function listAgentKeys(options: SshAgentOptions): Promise<SshPublicKey[]> {
  const reply = await agentRequest(options, new SshWriter().u8(REQUEST_IDENTITIES).bytes(), IDENTITIES_ANSWER);
  const count = reply.u32();
  const keys: SshPublicKey[] = [];
  for (let i = 0; i < count; i++) {
    const blob = reply.string();
    reply.string(); // comment
    const type = new SshReader(blob).text();
    if ((supportedSshKeyTypes as readonly string[]).includes(type)) keys.push(sshPublicKeyFromBlob(blob));
  }
  return keys;
}

/** A signer through ssh-agent for the key with `fingerprint` (or the agent's first usable key). */
export async function createAgentSigner(options: SshAgentOptions, fingerprint?: string): Promise<SshRawSigner> {
  const keys = await listAgentKeys(options);
  const publicKey = fingerprint ? keys.find((k) => k.fingerprint === fingerprint) : keys[0];
  if (!publicKey) {
    throw new ShipgateError(
      'SSH_AGENT_FAILED',
      `expected ${fingerprint ? `the key ${fingerprint}` : 'an ed25519, ECDSA or RSA key'} in ssh-agent at ${options.socketPath}, found ${keys.map((k) => k.fingerprint).join(', ') || 'no usable key'}`,
      { hint: 'Add the key with `ssh-add ~/.ssh/id_ed25519`, or sign with a key file instead.' },
    );
  }
  return {
    publicKey,
    async signRaw(data) {
      const flags = publicKey.type === 'ssh-rsa' ? RSA_SHA2_512 : 0;
      const request = new SshWriter().u8(SIGN_REQUEST).string(publicKey.blob).string(data).u32(flags).bytes();
      return (await agentRequest(options, request, SIGN_RESPONSE)).string();
    },
  };
}

function agentRequest(options: SshAgentOptions, body: Buffer, expected: number): Promise<SshReader> {
  return new Promise((resolve, reject) => {
    const fail = (message: string, cause?: unknown) => {
      socket.destroy();
      reject(
        new ShipgateError('SSH_AGENT_FAILED', message, {
          hint: 'Check that ssh-agent runs and SSH_AUTH_SOCK points at it (`ssh-add -l` lists its keys).',
          cause,
        }),
      );
    };
    const socket = connect(options.socketPath);
    const chunks: Buffer[] = [];
    socket.setTimeout(options.timeoutMs, () =>
      fail(`expected ssh-agent at ${options.socketPath} to answer within ${options.timeoutMs} ms, found no answer`),
    );
    socket.on('error', (e) =>
      fail(`expected ssh-agent at ${options.socketPath}, found ${(e as NodeJS.ErrnoException).code}`, e),
    );
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length < 4 || all.length < 4 + all.readUInt32BE(0)) return;
      socket.end();
      const reader = new SshReader(all.subarray(4, 4 + all.readUInt32BE(0)));
      const type = reader.u8();
      if (type !== expected)
        fail(`expected ssh-agent to answer with message ${expected}, found ${type} (the agent refused)`);
      else resolve(reader);
    });
    socket.write(new SshWriter().string(body).bytes());
  });
}
