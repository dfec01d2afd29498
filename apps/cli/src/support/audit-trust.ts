import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditFinding } from '@shipgate/ledger';
import { ownValue, type DeploymentRecord, type Evidence, type Release } from '@shipgate/model';
import { REHEARSAL_KEY_FILE, type SignerPort } from '@shipgate/trust';
import type { BaseContext } from '../command';
import { ciSigner } from './signers';
import { ledgerTargetKind, loadTrust, localStateDir, targetKindOf, type LoadedTrust } from './trust';

/**
 * Who signs this run's audit checkpoint: the identity the command ran as. A command about a configured
 * environment signs as that environment's CI identity (its KMS key; the rehearsal key under a profile
 * that accepts it, against local-cloud only: trust-gate's `ciSigner`). A command about no environment
 * (release create) signs only with the rehearsal key; otherwise its entries wait, unanchored, for the
 * next signed checkpoint, and `audit verify` counts them.
 */
export async function checkpointSigner(ctx: BaseContext): Promise<SignerPort | undefined> {
  const who = await checkpointSignerOf(ctx);
  if (!who) return undefined;
  if (who.kind === 'rehearsal') return (await import('@shipgate/trust')).generateRehearsalKey(localStateDir(ctx));
  return ciSigner(ctx, await ctx.config(), who.environment);
}

/**
 * Which identity would sign this run's checkpoint, decided without touching a key (a dry run asks this
 * to list the checkpoint a real run writes, and signs nothing): the rehearsal key, an environment's CI
 * identity, or nobody.
 */
export async function checkpointSignerOf(
  ctx: BaseContext,
): Promise<{ kind: 'rehearsal' } | { kind: 'ci'; environment: string } | undefined> {
  const loaded = await ctx.config();
  const named = ctx.positionals[0];
  const environment = named && ownValue(loaded.config.environments, named) ? named : undefined;
  const profile = loaded.profile ? ownValue(loaded.config.profiles, loaded.profile) : undefined;
  if (!environment) {
    if (!profile?.acceptRehearsalKey || ledgerTargetKind(loaded, ctx.env) !== 'local-cloud') return undefined;
    return { kind: 'rehearsal' };
  }
  const rehearsal = profile?.acceptRehearsalKey && targetKindOf(loaded, environment, ctx.env) === 'local-cloud';
  if (!rehearsal && !ownValue(loaded.config.trust?.environments ?? {}, environment)?.ci) return undefined;
  return { kind: 'ci', environment };
}

/** The trust `audit verify` checks with: every CI key, the allowed signers, the rehearsal key where allowed. */
export async function auditTrust(ctx: BaseContext): Promise<{ trust: LoadedTrust; trusted: string[] }> {
  const loaded = await ctx.config();
  const environments = Object.keys(loaded.config.environments);
  // Any environment builds the same key set; a local-cloud one admits the rehearsal key (profile permitting).
  const local = environments.find((e) => targetKindOf(loaded, e, ctx.env) === 'local-cloud');
  const trust = await loadTrust(ctx, loaded, local ?? environments[0] ?? 'production');
  const keyFileExists = async (env: string) => {
    const path = ownValue(loaded.config.trust?.environments ?? {}, env)?.ci?.publicKey;
    return (
      path !== undefined &&
      (await access(resolve(loaded.dir, path)).then(
        () => true,
        () => false,
      ))
    );
  };
  const ci = await Promise.all(
    Object.entries(trust.trust.ciIdentities ?? {}).map(async ([env, who]) =>
      (await keyFileExists(env)) ? `${env} CI (${who})` : `${env} CI: no public key file, nothing it signs verifies`,
    ),
  );
  const profile = loaded.profile ? ownValue(loaded.config.profiles, loaded.profile) : undefined;
  const rehearsal =
    profile?.acceptRehearsalKey && local
      ? await access(resolve(localStateDir(ctx), REHEARSAL_KEY_FILE)).then(
          () => ['the local rehearsal key (local-cloud only)'],
          () => [],
        )
      : [];
  const trusted = [
    ...ci,
    ...rehearsal,
    ...(trust.signers.length ? [`${trust.signers.length} allowed signers (${trust.allowedSignersFile})`] : []),
  ];
  return { trust: { ...trust, targetKind: ledgerTargetKind(loaded, ctx.env) }, trusted };
}

/**
 * Checks the signature of each record that is signed by design (releases; evidence of every kind;
 * finished deployment outcomes) with the one verification of each that the gate and rollback use.
 */
export async function recordSignatureCheck(
  trust: LoadedTrust,
  now: Date,
  rollbackPeopleOf: (environment: string) => string[] = () => [],
): Promise<(key: string, body: string, records: ReadonlyMap<string, string>) => AuditFinding | undefined> {
  const [{ verifyEvidence }, { verifyDeployment, verifyRelease, isFinishedDeployment, verifyRollbackAuthorisation }] =
    await Promise.all([import('@shipgate/promotion-gate'), import('@shipgate/trust')]);
  const gateTrust = { ...trust.trust, targetKind: trust.targetKind };
  const finding = (key: string, expected: string, found: string, hint?: string): AuditFinding => ({
    problem: 'record-signature',
    about: key,
    expected,
    found,
    hint:
      hint ??
      'A record whose signature does not verify was forged or edited after it was signed; it counts nowhere. Restore it from a backup or remove it.',
  });
  return (key, body, records) => {
    let record: unknown;
    try {
      record = JSON.parse(body);
    } catch {
      return undefined; // not JSON: the cross-check already names it
    }
    if (key.startsWith('evidence/')) {
      const evidence = record as Evidence;
      const releaseBody = records.get(`releases/${evidence.releaseId}.json`);
      if (!releaseBody)
        return finding(key, `the release ${evidence.releaseId} the evidence is about`, 'no such release record');
      const checked = verifyEvidence(evidence, JSON.parse(releaseBody) as Release, gateTrust, now);
      return checked.ok
        ? undefined
        : finding(key, 'a signature by the identity that produced it', checked.refusal.message);
    }
    if (key.startsWith('releases/')) {
      const release = record as Release;
      const checked = verifyRelease(release, trust.trust.verifier, { targetKind: trust.targetKind, now });
      return checked.ok
        ? undefined
        : finding(
            key,
            `a release record signed by the build CI identity${trust.trust.buildIdentity ? ` (${trust.trust.buildIdentity})` : ''}`,
            checked.refusal.message,
            checked.refusal.reason === 'unsigned'
              ? 'A release recorded before release signing (or whose envelope was removed) is unsigned: no environment that requires approvals takes it. Build and create a new release; the old one can stay as history.'
              : undefined,
          );
    }
    if (key.startsWith('deployments/')) {
      const deployment = record as DeploymentRecord;
      if (!isFinishedDeployment(deployment)) return undefined;
      const checked = verifyDeployment(deployment, trust.trust.verifier, { targetKind: trust.targetKind, now });
      if (!checked.ok)
        return finding(
          key,
          `a deployment outcome signed by ${deployment.environment}'s CI identity`,
          checked.refusal.message,
        );
      const a = deployment.authorisation;
      if (!a || deployment.releaseId === 'unknown') return undefined;
      // The rollback's authorisation, as it was checked when it ran: at its own issue time, for this record.
      const authorised = verifyRollbackAuthorisation(
        a.envelope,
        {
          service: deployment.service,
          environment: deployment.environment,
          releaseId: deployment.releaseId,
          digest: deployment.digest,
          reason: deployment.reason ?? '',
        },
        { environment: deployment.environment, people: rollbackPeopleOf(deployment.environment) },
        {
          verifier: trust.trust.verifier,
          targetKind: trust.targetKind,
          now: new Date(a.issuedAt),
          usedNonces: new Set(),
        },
      );
      if (!authorised.ok)
        return finding(
          key,
          `a rollback authorised by someone who may roll ${deployment.environment} back`,
          authorised.error,
        );
      if (authorised.value.by !== a.by || authorised.value.nonce !== a.nonce)
        return finding(
          key,
          `the authorisation by ${authorised.value.by} (nonce ${authorised.value.nonce}) its envelope holds`,
          `by ${a.by} (nonce ${a.nonce}) in the record`,
        );
      return undefined;
    }
    return undefined;
  };
}
