import { ShipgateError, expandPeople } from '@shipgate/model';
import type { CommandSpec } from '../command';
import { loadConfig, requireEnvironment, requireService } from '../support/config';
import { originFor, requireRelease } from '../support/evidence';
import { openLedgerFor } from '../support/ledger';

/** `shipgate approve`: a release manager approves one release digest for one environment. */
export const command: CommandSpec = {
  name: 'approve',
  summary: 'Approve a release for an environment (release managers, never its author)',
  usage: 'shipgate approve <env> --service S --release R [--comment TEXT]',
  description:
    "The approval is for this release's image digest only. Its author and creator cannot approve it; the approver must be a release manager of the environment's policy (directly or through a team).",
  examples: [
    'shipgate approve production --service sample-service --release rel-3f9a --comment "QA and stress look good"',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: { type: 'string', placeholder: 'R', description: 'Release id (or unique prefix)' },
    comment: { type: 'string', placeholder: 'TEXT', description: 'Why, for the record' },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment the release would enter' }],
  async run(ctx) {
    const loaded = await loadConfig(ctx);
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service as string | undefined);
    const approvals = environment.promotion?.approvals;
    if (!approvals) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected environment "${environment.name}" to require approvals, found none in its policy`,
        { hint: `Approvals matter only where environments.${environment.name}.promotion.approvals is set.` },
      );
    }
    const ledger = await openLedgerFor(ctx);
    const release = await requireRelease(ledger, ctx.values.release as string | undefined, service.name);
    const actor = await ctx.actor();
    const who = actor.toLowerCase();
    const authors = [release.author, release.createdBy]
      .filter((x): x is string => Boolean(x))
      .map((x) => x.toLowerCase());
    if (authors.includes(who)) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected an approver other than the release's author or creator, found ${actor} (${release.author?.toLowerCase() === who ? 'author' : 'creator'} of ${release.id})`,
        { hint: 'Ask another release manager to approve.' },
      );
    }
    const managers = expandPeople(approvals.releaseManagers, approvals.teams);
    if (!managers.includes(who)) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected a release manager of ${environment.name} (${managers.join(', ')}), found ${actor}`,
        {
          hint: 'Run as a release manager (--as in local use; in Actions your GitHub login), or add them under promotion.approvals.releaseManagers.',
        },
      );
    }
    const gate = await import('@shipgate/promotion-gate');
    const comment = ctx.values.comment as string | undefined;
    const evidence = gate.approvalEvidence(
      { approver: actor, via: 'cli', ...(comment ? { comment } : {}) },
      { release, environment: environment.name, origin: await originFor(ctx), recordedAt: ctx.clock.now() },
    );
    await ledger.evidence.add(evidence, actor);
    return {
      json: { evidence },
      human: `${actor} approved ${release.id} (${release.digest.slice(0, 19)}…) for ${environment.name}`,
    };
  },
};
