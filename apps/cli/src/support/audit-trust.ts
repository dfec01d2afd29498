import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { ShipgateError } from '@shipgate/model';
import type { SignerPort, TargetKind, TrustedKey, VerifierPort } from '@shipgate/trust';
import type { BaseContext } from '../command';
import { resolveAwsSettings } from './aws';
import type { LoadedConfig } from './config';

/** Who signs this run's audit checkpoint, and whom `audit verify` believes. */
export interface AuditTrust {
  /** Undefined when this run has no signing identity: its entries stay unanchored (audit verify says so). */
  signer?: SignerPort;
  verifier: VerifierPort;
  targetKind: TargetKind;
  /** The keys the verifier trusts, in words, for the report. */
  trusted: string[];
}

/** The state directory for a filesystem ledger, or undefined for S3. */
function stateDir(ctx: Pick<BaseContext, 'global' | 'cwd'>): string | undefined {
  return ctx.global.state.startsWith('s3://') ? undefined : resolve(ctx.cwd, ctx.global.state);
}

/** Where the config's environments run: local-cloud only when every one of them does. */
export function targetKindOf(loaded: LoadedConfig, env: NodeJS.ProcessEnv): TargetKind {
  const regions = Object.values(loaded.config.environments).map((e) => e.aws.region);
  return regions.every((region) => resolveAwsSettings(loaded.config, region, env).local) ? 'local-cloud' : 'aws';
}

/**
 * The signer of audit checkpoints and the verifier of them. Trusted: every environment's CI public key
 * in `trust` (the identities that run state-changing commands in CI), and the rehearsal key under the
 * state directory when the profile accepts it (local-cloud only, enforced by the verifier).
 * Signing: the rehearsal key when the profile accepts it. TODO(trust-gate): the run's resolved signer
 * (the environment's KMS key in CI, a person's SSH key) replaces this once signer resolution lands.
 */
export async function resolveAuditTrust(ctx: BaseContext): Promise<AuditTrust> {
  const trust = await import('@shipgate/trust');
  const loaded = await ctx.config();
  const targetKind = targetKindOf(loaded, ctx.env);
  const keys: TrustedKey[] = [];
  const trusted: string[] = [];
  for (const [environment, policy] of Object.entries(loaded.config.trust?.environments ?? {})) {
    if (!policy.ci) continue;
    const file = isAbsolute(policy.ci.publicKey) ? policy.ci.publicKey : join(loaded.dir, policy.ci.publicKey);
    const pem = await readFile(file, 'utf8').catch(() => undefined);
    // A missing CI key is the gate's error to raise (trust-gate); here it only means nobody is trusted for it.
    if (pem === undefined) continue;
    let publicKey;
    try {
      publicKey = createPublicKey(pem);
    } catch (cause) {
      throw new ShipgateError(
        'SIGNING_KEY_INVALID',
        `expected a PEM public key at ${file}, found one that does not parse`,
        {
          hint: `Fix trust.environments.${environment}.ci.publicKey in ${loaded.file}.`,
          location: { file, path: `trust.environments.${environment}.ci.publicKey` },
          cause,
        },
      );
    }
    keys.push({ publicKey, identity: { kind: 'ci', name: `${environment}-ci` } });
    trusted.push(`${environment} CI key ${trust.publicKeyId(publicKey)}`);
  }
  let signer: SignerPort | undefined;
  const dir = stateDir(ctx);
  const rehearsal = loaded.profile ? loaded.config.profiles?.[loaded.profile]?.acceptRehearsalKey === true : false;
  if (dir && rehearsal) {
    const exists = await readFile(join(dir, trust.REHEARSAL_KEY_FILE), 'utf8').then(
      () => true,
      () => false,
    );
    if (exists) {
      keys.push(await trust.rehearsalTrustedKey(dir));
      trusted.push('the local rehearsal key (local-cloud only)');
      if (!ctx.dryRun) signer = await trust.generateRehearsalKey(dir);
    }
  }
  return { ...(signer ? { signer } : {}), verifier: trust.createPolicyVerifier({ keys }), targetKind, trusted };
}
