import { ownValue, ShipgateError, type Evidence, type Release } from '@shipgate/model';
import type { Ledger } from '@shipgate/ledger';
import type { CommandContext } from '../command';
import type { LoadedConfig } from './config';
import { loadTrust } from './trust';

/** The freeze id a break-glass override carries: it lifts the gate for one release in one environment. */
export const BREAK_GLASS = 'break-glass';

/** Who may break glass in an environment (trust.environments.<env>.breakGlass), lower-cased. */
export function breakGlassPeople(loaded: LoadedConfig, environment: string): string[] {
  return (ownValue(loaded.config.trust?.environments ?? {}, environment)?.breakGlass ?? []).map((p) => p.toLowerCase());
}

/**
 * The verified break-glass override for taking `release` into `environment` without the gate: an
 * override record signed by a person trust.environments.<env>.breakGlass names, bound to this release and
 * environment, not expired. Refused with BREAK_GLASS_REQUIRED naming what was expected and what was found.
 */
export async function requireBreakGlass(
  ctx: Pick<CommandContext, 'clock' | 'env' | 'global' | 'cwd' | 'warn'>,
  loaded: LoadedConfig,
  ledger: Ledger,
  release: Release,
  environment: string,
): Promise<{ by: string; evidenceId: string }> {
  const gate = await import('@shipgate/promotion-gate');
  const { trust } = await loadTrust(ctx, loaded, environment);
  const allowed = breakGlassPeople(loaded, environment);
  const now = ctx.clock.now();
  const found: string[] = [];
  const records = await ledger.evidence.list({ releaseId: release.id, environment, kind: 'override' });
  for (const stored of records.reverse()) {
    if ((stored.summary as { freeze?: string }).freeze !== BREAK_GLASS) continue;
    const verified = gate.verifyEvidence(stored, release, trust, now);
    if (!verified.ok) {
      found.push(`${stored.id} refused: ${verified.refusal.message}`);
      continue;
    }
    const e = verified.evidence as Evidence<{ by: string; expiresAt?: string }>;
    if (!allowed.includes(e.summary.by.toLowerCase()))
      found.push(`${e.id} by ${e.summary.by}, who may not break glass`);
    else if (!e.summary.expiresAt || Date.parse(e.summary.expiresAt) <= now.getTime())
      found.push(`${e.id} by ${e.summary.by}, expired ${e.summary.expiresAt ?? '(no expiry)'}`);
    else return { by: e.summary.by, evidenceId: e.id };
  }
  throw new ShipgateError(
    'BREAK_GLASS_REQUIRED',
    `expected a break-glass override of ${release.id} for ${environment}, signed by one of ${allowed.join(', ') || '(nobody: trust.environments.' + environment + '.breakGlass is empty)'} and not expired, found ${found.length ? found.join('; ') : 'none'}: ${release.id} never passed the gate here`,
    {
      hint: `One of them runs \`shipgate approve ${environment} --service ${release.service} --release ${release.id} --break-glass --comment "why" --key ~/.ssh/id_ed25519\`, then the command again; it is recorded as break-glass and never becomes last known good.`,
    },
  );
}
