import { ShipgateError, requireIdentifier, type Evidence, type Origin, type Release } from '@shipgate/model';
import type { Ledger } from '@shipgate/ledger';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';

/** Where evidence came from: the actor, and the GitHub Actions run when there is one. */
export async function originFor(
  ctx: Pick<CommandContext, 'env' | 'actor'>,
  tool?: { tool: string; toolVersion?: string },
): Promise<Origin> {
  const env = ctx.env;
  const inActions = env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY;
  return {
    actor: await ctx.actor(),
    where: inActions
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : 'local',
    ...(inActions ? { githubRunId: env.GITHUB_RUN_ID! } : {}),
    ...(tool ? { tool: tool.tool, ...(tool.toolVersion ? { toolVersion: tool.toolVersion } : {}) } : {}),
  };
}

/** The release named on the command line, checked to belong to the service. */
export async function requireRelease(
  ledger: Ledger,
  idOrPrefix: string | undefined,
  service: string,
): Promise<Release> {
  if (!idOrPrefix) {
    throw new ShipgateError('USAGE', 'expected --release <id>, found none', {
      hint: 'List candidates with `shipgate release list --service ' + service + '`.',
    });
  }
  const release = await ledger.releases.get(requireIdentifier(idOrPrefix, 'a release id (--release)'));
  if (release.service !== service) {
    throw new ShipgateError(
      'RELEASE_SERVICE_MISMATCH',
      `expected a release of service "${service}", found ${release.id} of "${release.service}"`,
      {
        hint: `Pass --service ${release.service}, or a release of ${service} (\`shipgate release list --service ${service}\`).`,
      },
    );
  }
  return release;
}

/** The release now serving in an environment, according to the ledger (the latest succeeded deployment). */
export async function servingRelease(
  ledger: Ledger,
  service: string,
  environment: string,
): Promise<Release | undefined> {
  const current = await ledger.deployments.current(service, environment);
  return current ? ledger.releases.get(current.releaseId) : undefined;
}

/**
 * Signs evidence produced in its environment with that environment's CI identity (its KMS key, or the
 * rehearsal key under the local-rehearsal profile against local-cloud) and records it. Unsigned evidence
 * is never written: the gate would not count it.
 */
export async function recordCiEvidence<T>(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env' | 'dryRun'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  evidence: Evidence<T>,
): Promise<Evidence<T>> {
  const [{ ciSigner }, { signRecord }, gate] = await Promise.all([
    import('./signers'),
    import('@shipgate/trust'),
    import('@shipgate/promotion-gate'),
  ]);
  if (ctx.dryRun) {
    // A dry run signs nothing: signing needs the CI identity's key (a KMS call, or creating the rehearsal
    // key in the state directory), and the record it lists is never written.
    await ledger.evidence.add(evidence, evidence.origin.actor);
    return evidence;
  }
  const signer = await ciSigner(ctx, loaded, evidence.environment);
  const signed = (await signRecord(evidence as Evidence, gate.evidenceCodec, [signer])) as Evidence<T>;
  await ledger.evidence.add(signed, evidence.origin.actor);
  return signed;
}
