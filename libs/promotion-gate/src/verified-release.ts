import type { Release } from '@shipgate/model';
import { verifyRelease } from '@shipgate/trust';
import type { GateTrust } from './verify-evidence';

/** A release whose record verified (its authors can be believed), or why it did not, in words. */
export type VerifiedRelease =
  { ok: true; release: Release } | { ok: false; problem: string; hint: string; unsigned: boolean; tampered: boolean };

/**
 * The release as its build CI identity signed it, or why it cannot be believed. The one reading of a
 * release's authors and creator: the gate's approval check and `shipgate approve` use only what this
 * returns, never the stored file, where anyone with write access could remove themselves from `authors`.
 */
export function verifiedRelease(stored: Release, trust: GateTrust, now: Date): VerifiedRelease {
  const checked = verifyRelease(stored, trust.verifier, { targetKind: trust.targetKind, now });
  if (checked.ok) return { ok: true, release: checked.release };
  const { reason, message } = checked.refusal;
  const who = trust.buildIdentity ? `the build CI identity (${trust.buildIdentity})` : 'the build CI identity';
  const hint =
    reason === 'unsigned'
      ? `Releases are signed by ${who} when \`shipgate release create\` records them (trust.build.ci in shipgate.yaml; the rehearsal key under the local-rehearsal profile). A release recorded before release signing cannot enter an environment that requires approvals: build and create a new release.`
      : checked.refusal.class === 'tampered'
        ? 'The release record was edited after it was signed; run `shipgate audit verify` and restore it from a backup.'
        : `Only ${who} may sign releases; declare its public key under trust.build.ci (a reviewed change).`;
  return {
    ok: false,
    problem: `release ${stored.id} refused (${reason}): ${message}`,
    hint,
    unsigned: reason === 'unsigned',
    tampered: checked.refusal.class === 'tampered',
  };
}
