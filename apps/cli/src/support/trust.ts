import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { contentHash, ownValue, ShipgateError, type CiIdentityConfig, type Decision } from '@shipgate/model';
import type { GateTrust } from '@shipgate/promotion-gate';
import type { AllowedSigner, SignerIdentity, TargetKind, TrustedKey } from '@shipgate/trust';
import type { CommandContext } from '../command';
import { resolveAwsSettings } from './aws';
import type { LoadedConfig } from './config';

/** The trust policy as the gate, approve and rollback use it, and what it was built from. */
export interface LoadedTrust {
  trust: GateTrust;
  targetKind: TargetKind;
  signers: AllowedSigner[];
  namespace: string;
  allowedSignersFile: string;
  /** Recorded in every decision: the policy digest, the config digest, a profile in force. */
  provenance: Required<Pick<Decision, 'policyDigest' | 'configDigest'>> & Pick<Decision, 'profile'>;
}

/** `local-cloud` when the environment's AWS calls go to a loopback endpoint (local-cloud), else `aws`. */
export function targetKindOf(loaded: LoadedConfig, environment: string, env: NodeJS.ProcessEnv): TargetKind {
  const region = ownValue(loaded.config.environments, environment)?.aws.region ?? 'us-east-1';
  return resolveAwsSettings(loaded.config, region, env).local ? 'local-cloud' : 'aws';
}

/** Where the ledger's environments run: local-cloud only when every one of them does. */
export function ledgerTargetKind(loaded: LoadedConfig, env: NodeJS.ProcessEnv): TargetKind {
  const names = Object.keys(loaded.config.environments);
  return names.every((e) => targetKindOf(loaded, e, env) === 'local-cloud') ? 'local-cloud' : 'aws';
}

/**
 * Profiles weaken policy (another allowed-signers file, the rehearsal key, autocannon as stress), so they
 * apply only against local-cloud: selecting one against any other target is refused before anything runs.
 */
export function requireProfileAllowed(loaded: LoadedConfig, environment: string, targetKind: TargetKind): void {
  if (!loaded.profile || targetKind === 'local-cloud') return;
  throw new ShipgateError(
    'PROFILE_NOT_ALLOWED',
    `expected no policy profile against environment ${environment}, whose target is AWS, found profile "${loaded.profile}" (from --policy-profile or SHIPGATE_POLICY_PROFILE)`,
    {
      hint: 'Profiles weaken the policy and apply only against local-cloud targets. Drop --policy-profile and unset SHIPGATE_POLICY_PROFILE.',
      location: { file: loaded.file, path: `profiles.${loaded.profile}` },
    },
  );
}

/** The directory local keys live under: the --state directory, or .shipgate/ when the ledger is in S3. */
export function localStateDir(ctx: Pick<CommandContext, 'global' | 'cwd'>): string {
  return ctx.global.state.startsWith('s3://') ? resolve(ctx.cwd, '.shipgate') : resolve(ctx.cwd, ctx.global.state);
}

async function readRepoFile(loaded: LoadedConfig, path: string): Promise<string | undefined> {
  const file = isAbsolute(path) ? path : resolve(loaded.dir, path);
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
}

/**
 * Builds the verifier for records about `environment` (and the environment its evidence comes from):
 * each environment's CI public key from trust.environments, release managers' SSH keys from the
 * allowed-signers file, and the rehearsal key only under a profile that accepts it against local-cloud.
 */
export async function loadTrust(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env' | 'warn'>,
  loaded: LoadedConfig,
  environment: string,
): Promise<LoadedTrust> {
  const trustLib = await import('@shipgate/trust');
  const targetKind = targetKindOf(loaded, environment, ctx.env);
  requireProfileAllowed(loaded, environment, targetKind);
  if (targetKind === 'aws') await (await import('./policy-pin')).requirePinnedPolicy(loaded, environment);
  const trustConfig = loaded.config.trust;
  const profile = loaded.profile ? ownValue(loaded.config.profiles, loaded.profile) : undefined;
  const keys: TrustedKey[] = [];
  const ciIdentities: Record<string, string> = {};
  const ciKeyText: Record<string, string | null> = {};
  const ciKey = async (ci: CiIdentityConfig, whose: string, identity: SignerIdentity) => {
    const pem = await readRepoFile(loaded, ci.publicKey);
    if (pem === undefined) return null;
    try {
      keys.push({ publicKey: createPublicKey(pem), identity });
    } catch (cause) {
      throw new ShipgateError(
        'SIGNING_KEY_INVALID',
        `expected a PEM public key for ${whose} CI identity at ${ci.publicKey}, found one that does not parse`,
        {
          hint: `Write it with \`aws kms get-public-key --key-id ${ci.kmsKeyId} --query PublicKey --output text | base64 -d | openssl pkey -pubin -inform DER -out ${ci.publicKey}\`.`,
          location: { file: ci.publicKey },
          cause,
        },
      );
    }
    return pem;
  };
  for (const [env, entry] of Object.entries(trustConfig?.environments ?? {})) {
    if (!entry.ci) continue;
    ciIdentities[env] = entry.ci.description ?? `KMS ${entry.ci.kmsKeyId}`;
    const identity = { kind: 'ci', name: `${env} CI (${ciIdentities[env]})`, environment: env } as const;
    ciKeyText[env] = await ciKey(entry.ci, `${env}'s`, identity);
  }
  const build = trustConfig?.build?.ci;
  const buildIdentity = build ? (build.description ?? `KMS ${build.kmsKeyId}`) : undefined;
  const buildKeyText = build
    ? await ciKey(build, "the build's", { kind: 'ci', name: `build CI (${buildIdentity})`, build: true })
    : null;
  if (profile?.acceptRehearsalKey && targetKind === 'local-cloud') {
    const rehearsal = await trustLib.rehearsalTrustedKey(localStateDir(ctx)).catch(() => undefined);
    if (rehearsal) keys.push(rehearsal);
  }
  const allowedSignersFile = profile?.allowedSigners ?? trustConfig?.allowedSigners;
  const namespace = trustConfig?.namespace ?? 'shipgate-approval';
  let signers: AllowedSigner[] = [];
  let allowedText: string | null = null;
  if (allowedSignersFile) {
    const text = await readRepoFile(loaded, allowedSignersFile);
    if (text === undefined) {
      ctx.warn(`the allowed-signers file ${allowedSignersFile} does not exist: no approval can count`);
    } else {
      allowedText = text;
      const parsed = trustLib.parseAllowedSigners(text, allowedSignersFile);
      if (!parsed.ok) {
        throw new ShipgateError(
          'ALLOWED_SIGNERS_INVALID',
          `${allowedSignersFile}: ${parsed.error[0]?.message ?? 'invalid'}`,
          {
            location: { file: allowedSignersFile, ...(parsed.error[0]?.line ? { line: parsed.error[0].line } : {}) },
            problems: parsed.error,
            hint: 'Fix the line; `ssh-keygen -Y find-principals` reads the same format.',
          },
        );
      }
      signers = parsed.value;
    }
  }
  const verifier = trustLib.createPolicyVerifier({ keys, people: { signers, namespace } });
  const env = ownValue(loaded.config.environments, environment);
  const from = env?.promotion?.from;
  // What the decision rests on, besides the records: both environments' policies, the trust section,
  // the profile, and the bytes of every key file the verifier was built from.
  const policyDigest = contentHash({
    environment,
    promotion: env?.promotion ?? null,
    fromPromotion: from ? (ownValue(loaded.config.environments, from)?.promotion ?? null) : null,
    trust: trustConfig ?? null,
    profile: profile ? { name: loaded.profile, ...profile } : null,
    allowedSigners: allowedText,
    ciKeys: ciKeyText,
    ...(build ? { buildKey: buildKeyText } : {}),
  });
  return {
    trust: { verifier, targetKind, ciIdentities, ...(buildIdentity ? { buildIdentity } : {}) },
    targetKind,
    signers,
    namespace,
    allowedSignersFile: allowedSignersFile ?? '(none: trust.allowedSigners is not set)',
    provenance: { policyDigest, configDigest: loaded.digest, ...(loaded.profile ? { profile: loaded.profile } : {}) },
  };
}
