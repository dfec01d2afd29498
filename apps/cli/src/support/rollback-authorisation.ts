import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  cryptoRandom,
  ownValue,
  ShipgateError,
  type DeploymentRecord,
  type RollbackAuthorisationRecord,
} from '@shipgate/model';
import type { RollbackPlan } from '@shipgate/rollback';
import type { RollbackRequest, SignerPort } from '@shipgate/trust';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';
import { loadTrust } from './trust';

/** Who may roll an environment back with their SSH key (trust.environments.<env>.rollback), lower-cased. */
export function rollbackPeople(loaded: LoadedConfig, environment: string): string[] {
  return (ownValue(loaded.config.trust?.environments ?? {}, environment)?.rollback ?? []).map((p) => p.toLowerCase());
}

/** How the caller proves who they are: `rollback --key`, `--ci`, `--authorisation`, or ssh-agent. */
export interface RollbackCredentials {
  key?: string;
  ci?: boolean;
  /** A file holding an authorisation signed earlier (the `authorisation` of `rollback --dry-run --json`). */
  authorisation?: string;
}

/** What a rollback plan binds its authorisation to. */
export function rollbackRequestOf(plan: RollbackPlan): RollbackRequest {
  const releaseId = plan.restore.releaseId ?? 'unknown';
  const stopped = plan.path === 'fast' ? plan.stop.controllerDeploymentId : plan.path;
  return {
    service: plan.service,
    environment: plan.environment,
    releaseId,
    digest: plan.restore.digest ?? `unknown:${stopped}`,
    reason: plan.reason,
  };
}

/**
 * The verified authorisation a rollback of `plan` needs when trust.environments.<env>.rollback names
 * people (undefined when it names nobody and no credential was given): signed now with the person's SSH
 * key (`--key`, ssh-agent) or the environment's CI key (`--ci`, or inside GitHub Actions), or read from
 * `--authorisation FILE`; then verified against the trust policy like any record. `--as` counts for
 * nothing. Refused with ROLLBACK_NOT_AUTHORISED naming who was expected and what was found.
 */
export async function authoriseRollback(
  ctx: Pick<CommandContext, 'clock' | 'env' | 'global' | 'cwd' | 'warn'>,
  loaded: LoadedConfig,
  plan: RollbackPlan,
  records: readonly DeploymentRecord[],
  credentials: RollbackCredentials,
): Promise<RollbackAuthorisationRecord | undefined> {
  const people = rollbackPeople(loaded, plan.environment);
  const given = credentials.key !== undefined || credentials.ci || credentials.authorisation !== undefined;
  if (!people.length && !given) return undefined;
  const trust = await import('@shipgate/trust');
  const authority = { environment: plan.environment, people };
  const expected = people.length
    ? `a rollback of ${plan.environment} authorised by ${trust.describeAuthority(authority)}`
    : `a rollback of ${plan.environment} authorised by its CI identity (trust.environments.${plan.environment}.rollback names nobody)`;
  const command = `shipgate rollback ${plan.environment} --service ${plan.service} --reason ${JSON.stringify(plan.reason)}`;
  const refuse = (found: string, verified = false) =>
    new ShipgateError(
      'ROLLBACK_NOT_AUTHORISED',
      verified ? `rollback authorisation refused: ${found}` : `expected ${expected}, found ${found}`,
      {
        hint: `${people.length ? `One of ${people.join(', ')} runs \`${command} --key ~/.ssh/id_ed25519\` (or with the key in ssh-agent)` : 'Run it'}; in the environment's CI job: \`${command} --ci\`. --as names nobody for this.`,
      },
    );
  const request = rollbackRequestOf(plan);
  if (request.digest.startsWith('unknown:'))
    request.digest = trust.unknownRestoreDigest(plan.environment, plan.service, request.digest.slice(8));
  const loadedTrust = await loadTrust(ctx, loaded, plan.environment);
  let envelope: unknown;
  if (credentials.authorisation !== undefined) {
    envelope = await readAuthorisationFile(resolve(ctx.cwd, credentials.authorisation), refuse);
  } else {
    const signer = await signerFor(ctx, loaded, loadedTrust, plan.environment, credentials, refuse);
    const nonce = Array.from({ length: 4 }, () =>
      cryptoRandom
        .int(2 ** 32)
        .toString(16)
        .padStart(8, '0'),
    ).join('');
    envelope = await trust.signRollbackAuthorisation(request, signer, { now: ctx.clock.now(), nonce });
  }
  const usedNonces = new Set(records.flatMap((r) => (r.authorisation ? [r.authorisation.nonce] : [])));
  const verified = trust.verifyRollbackAuthorisation(envelope, request, authority, {
    verifier: loadedTrust.trust.verifier,
    targetKind: loadedTrust.targetKind,
    now: ctx.clock.now(),
    usedNonces,
  });
  if (!verified.ok) throw refuse(verified.error, true);
  return verified.value;
}

async function signerFor(
  ctx: Pick<CommandContext, 'clock' | 'env' | 'global' | 'cwd'>,
  loaded: LoadedConfig,
  loadedTrust: Awaited<ReturnType<typeof loadTrust>>,
  environment: string,
  credentials: RollbackCredentials,
  refuse: (found: string, verified?: boolean) => ShipgateError,
): Promise<SignerPort> {
  const useCi =
    credentials.ci || (credentials.key === undefined && !ctx.env.SSH_AUTH_SOCK && ctx.env.GITHUB_ACTIONS === 'true');
  if (useCi) return (await import('./signers')).ciSigner(ctx, loaded, environment);
  if (credentials.key === undefined && !ctx.env.SSH_AUTH_SOCK)
    throw refuse('no signature: neither --key, nor ssh-agent (SSH_AUTH_SOCK), nor --ci');
  try {
    return (await (await import('./signers')).personSigner(ctx, loadedTrust, credentials.key)).signer;
  } catch (error) {
    // A key the allowed-signers file does not list is a refused rollback, not a refused approval.
    if (error instanceof ShipgateError && error.code === 'APPROVAL_REFUSED') throw refuse(error.message, true);
    throw error;
  }
}

async function readAuthorisationFile(
  file: string,
  refuse: (found: string, verified?: boolean) => ShipgateError,
): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ShipgateError(
      'USAGE',
      `expected a rollback authorisation at ${file}, found ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
      {
        hint: 'Write one with `shipgate rollback <env> --service S --reason "why" --key KEY --dry-run --json > authorisation.json`.',
      },
    );
  });
  let json: { authorisation?: { envelope?: unknown }; payloadType?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw refuse(`${file}, which is not JSON`);
  }
  // Either the envelope itself or the JSON output of `rollback --dry-run --json`.
  return json.payloadType !== undefined ? json : json.authorisation?.envelope;
}
