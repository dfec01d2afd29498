import { resolve } from 'node:path';
import { ownValue, ShipgateError } from '@shipgate/model';
import type { SignerPort, SshRawSigner } from '@shipgate/trust';
import type { CommandContext } from '../command';
import { clientOptions, resolveAwsSettings } from './aws';
import type { LoadedConfig } from './config';
import { localStateDir, requireProfileAllowed, targetKindOf, type LoadedTrust } from './trust';

/**
 * The signer of `environment`'s CI identity: its KMS key (trust.environments.<env>.ci.kmsKeyId), which
 * only that environment's CI role may use; or, under a profile that accepts it and against local-cloud
 * only, the rehearsal key under the state directory. Nobody else's key signs as CI.
 */
export async function ciSigner(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env'>,
  loaded: LoadedConfig,
  environment: string,
): Promise<SignerPort> {
  const trust = await import('@shipgate/trust');
  const targetKind = targetKindOf(loaded, environment, ctx.env);
  requireProfileAllowed(loaded, environment, targetKind);
  const profile = loaded.profile ? ownValue(loaded.config.profiles, loaded.profile) : undefined;
  if (profile?.acceptRehearsalKey && targetKind === 'local-cloud')
    return trust.generateRehearsalKey(localStateDir(ctx));
  const ci = ownValue(loaded.config.trust?.environments ?? {}, environment)?.ci;
  if (!ci) {
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      `expected a CI identity for ${environment} to sign its records (trust.environments.${environment}.ci in ${loaded.file}), found none`,
      {
        hint: `Declare the environment's KMS key and its public key there (docs/security.md, "Setting up the keys"); the local rehearsal uses --policy-profile local-rehearsal instead.`,
        location: { file: loaded.file, path: `trust.environments.${environment}` },
      },
    );
  }
  const region = ownValue(loaded.config.environments, environment)?.aws.region ?? 'us-east-1';
  const { KMSClient, GetPublicKeyCommand, SignCommand } = await import('@aws-sdk/client-kms');
  const client = new KMSClient(clientOptions(resolveAwsSettings(loaded.config, region, ctx.env)));
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      const name = (cause as Error).name;
      throw new ShipgateError(
        name === 'NotFoundException' ? 'AWS_NOT_FOUND' : 'AWS_ERROR',
        `expected KMS to ${what} with ${ci.kmsKeyId} for ${environment}'s CI identity, found ${name}: ${(cause as Error).message}`,
        {
          hint: `Only ${environment}'s CI role may use this key (its key policy); run in that job, with its AWS credentials.`,
          cause,
        },
      );
    }
  };
  return trust.createKmsSigner(
    {
      async publicKeyDer(keyId) {
        const out = await call('return the public key', () => client.send(new GetPublicKeyCommand({ KeyId: keyId })));
        return out.PublicKey!;
      },
      async signDigest(keyId, digest) {
        const out = await call('sign', () =>
          client.send(
            new SignCommand({
              KeyId: keyId,
              Message: digest,
              MessageType: 'DIGEST',
              SigningAlgorithm: 'ECDSA_SHA_256',
            }),
          ),
        );
        return out.Signature!;
      },
    },
    ci.kmsKeyId,
    { kind: 'ci', name: `${environment} CI (${ci.description ?? `KMS ${ci.kmsKeyId}`})`, environment },
  );
}

/**
 * A person's SSH signer and the principal the allowed-signers file gives its key: `--key FILE` (a
 * private key file), or ssh-agent at SSH_AUTH_SOCK (the first of its keys that the file lists). The
 * identity is the key's, never `--as`.
 */
export async function personSigner(
  ctx: Pick<CommandContext, 'cwd' | 'env' | 'clock'>,
  trust: LoadedTrust,
  keyPath: string | undefined,
): Promise<{ signer: SignerPort; principal: string }> {
  const lib = await import('@shipgate/trust');
  const principalsOf = (key: SshRawSigner['publicKey']) => {
    const found = lib.findAllowedPrincipals(trust.signers, key, trust.namespace, ctx.clock.now());
    return found.ok ? found.value : [];
  };
  let raw: SshRawSigner | undefined;
  if (keyPath) raw = await lib.loadSshKeyFile(resolve(ctx.cwd, keyPath), ctx.env.SHIPGATE_SSH_KEY_PASSPHRASE);
  else if (ctx.env.SSH_AUTH_SOCK) {
    const options = { socketPath: ctx.env.SSH_AUTH_SOCK, timeoutMs: 60_000 };
    const keys = await lib.listAgentKeys(options);
    const listed = keys.find((k) => principalsOf(k).length);
    raw = await lib.createAgentSigner(options, (listed ?? keys[0])?.fingerprint);
  } else {
    throw new ShipgateError(
      'SIGNING_KEY_INVALID',
      'expected an SSH key to sign with, found neither --key nor SSH_AUTH_SOCK',
      {
        hint: 'Pass --key ~/.ssh/id_ed25519 (your private key), or run ssh-agent with your key added (ssh-add).',
      },
    );
  }
  const principals = principalsOf(raw.publicKey);
  if (!principals.length) {
    throw new ShipgateError(
      'APPROVAL_REFUSED',
      `expected an SSH key listed in ${trust.allowedSignersFile} for namespace ${trust.namespace}, found ${raw.publicKey.fingerprint}, which it does not list (or lists only outside its validity window)`,
      {
        hint: `Ask for your public key to be added to ${trust.allowedSignersFile} (a reviewed change), or sign with the key listed there.`,
      },
    );
  }
  return { signer: lib.createSshDsseSigner(raw, trust.namespace, principals[0]!), principal: principals[0]! };
}
