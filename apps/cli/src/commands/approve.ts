import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, requireRelease } from '../support/evidence';

/** `shipgate approve`: a release manager approves one release digest for one environment. */
export const command = defineCommand({
  name: 'approve',
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
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const approvals = environment.promotion?.approvals;
    if (!approvals) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected environment "${environment.name}" to require approvals, found none in its policy`,
        { hint: `Approvals matter only where environments.${environment.name}.promotion.approvals is set.` },
      );
    }
    const ledger = await ctx.ledger();
    const release = await requireRelease(ledger, ctx.values.release, service.name);
    const actor = await ctx.actor();
    const gate = await import('@shipgate/promotion-gate');
    // The gate's own rule: an approval refused here is one the gate would not count, and the reverse.
    const standing = gate.approverStanding(approvals, release, actor);
    if (standing.conflict) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected an approver other than the release's author or creator, found ${actor} (${standing.conflict} of ${release.id})`,
        { hint: 'Ask another release manager to approve.' },
      );
    }
    if (!standing.counts) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected a release manager of ${environment.name} (${standing.managers.join(', ')}), found ${actor}`,
        {
          hint: 'Run as a release manager (--as in local use; in Actions your GitHub login), or add them under promotion.approvals.releaseManagers.',
        },
      );
    }
    const comment = ctx.values.comment;
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
});
