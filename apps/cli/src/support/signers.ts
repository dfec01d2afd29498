import { resolve } from 'node:path';
import { ownValue, ShipgateError, type CiIdentityConfig } from '@shipgate/model';
import type { SignerIdentity, SignerPort, SshRawSigner } from '@shipgate/trust';
import type { CommandContext } from '../command';
import { clientOptions, resolveAwsSettings } from './aws';
import type { LoadedConfig } from './config';
import { ledgerTargetKind, localStateDir, requireProfileAllowed, targetKindOf, type LoadedTrust } from './trust';

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
  return kmsSigner(ctx, loaded, ci, region, `${environment}'s CI identity`, {
    kind: 'ci',
    name: `${environment} CI (${ci.description ?? `KMS ${ci.kmsKeyId}`})`,
    environment,
  });
}

/**
 * The signer of releases: the build's CI identity (trust.build.ci, a KMS key only the build's
 * release-signing role may use); or, under a profile that accepts it and when every environment is on
 * local-cloud, the rehearsal key. Undefined when the policy names no build identity: the release is then
 * recorded unsigned, and no environment that requires approvals will take it.
 */
export async function buildSigner(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env'>,
  loaded: LoadedConfig,
): Promise<SignerPort | undefined> {
  const profile = loaded.profile ? ownValue(loaded.config.profiles, loaded.profile) : undefined;
  if (profile?.acceptRehearsalKey && ledgerTargetKind(loaded, ctx.env) === 'local-cloud')
    return (await import('@shipgate/trust')).generateRehearsalKey(localStateDir(ctx));
  const build = loaded.config.trust?.build;
  if (!build) return undefined;
  for (const environment of Object.keys(loaded.config.environments))
    requireProfileAllowed(loaded, environment, targetKindOf(loaded, environment, ctx.env));
  const region = build.region ?? Object.values(loaded.config.environments)[0]?.aws.region ?? 'us-east-1';
  return kmsSigner(ctx, loaded, build.ci, region, "the build's CI identity", {
    kind: 'ci',
    name: `build CI (${build.ci.description ?? `KMS ${build.ci.kmsKeyId}`})`,
    build: true,
  });
}

/** A DSSE signer over a KMS key (ECDSA_SHA_256 over sha256 of the PAE), its errors naming whose key it is. */
async function kmsSigner(
  ctx: Pick<CommandContext, 'env'>,
  loaded: LoadedConfig,
  ci: CiIdentityConfig,
  region: string,
  whose: string,
  identity: SignerIdentity,
): Promise<SignerPort> {
  const trust = await import('@shipgate/trust');
  const { KMSClient, GetPublicKeyCommand, SignCommand } = await import('@aws-sdk/client-kms');
  const client = new KMSClient(clientOptions(resolveAwsSettings(loaded.config, region, ctx.env)));
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      const name = (cause as Error).name;
      throw new ShipgateError(
        name === 'NotFoundException' ? 'AWS_NOT_FOUND' : 'AWS_ERROR',
        `expected KMS to ${what} with ${ci.kmsKeyId} for ${whose}, found ${name}: ${(cause as Error).message}`,
        {
          hint: `Only the role ${whose} belongs to may use this key (its key policy); run in that job, with its AWS credentials.`,
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
    identity,
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
