import { ShipgateError, type Evidence } from '@shipgate/model';
import { defineCommand } from '../command';
import { dryRunOption } from '../support/dry-run-option';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, recordCiEvidence, requireRelease } from '../support/evidence';

/** `shipgate approvals import`: the GitHub environment reviews of this workflow run become approval evidence. */
export const command = defineCommand({
  name: 'approvals import',
  usage: 'shipgate approvals import <env> --service S --release R [--dry-run]',
  description:
    "Reads GITHUB_TOKEN (needs actions: read), GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_API_URL, and records each review of the run's environment as approval evidence for this release's digest. The token is never printed.",
  examples: ['shipgate approvals import production --service sample-service --release "$RELEASE_ID"'],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: { type: 'string', placeholder: 'R', description: 'Release id (or unique prefix)' },
    'dry-run': dryRunOption,
  },
  positionals: [{ name: 'env', required: true, description: 'Environment (the GitHub environment of the same name)' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const {
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: repository,
      GITHUB_RUN_ID: runId,
      GITHUB_API_URL: apiUrl,
    } = ctx.env;
    const missing = Object.entries({ GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId })
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (missing.length) {
      throw new ShipgateError(
        'USAGE',
        `approvals import: expected ${missing.join(', ')} in the environment, found ${missing.length === 1 ? 'it' : 'them'} unset`,
        {
          hint: 'Run it inside GitHub Actions with `env: GITHUB_TOKEN: ${{ github.token }}`, or use `shipgate approve` locally.',
        },
      );
    }
    const ledger = await ctx.ledger();
    const release = await requireRelease(ledger, ctx.values.release, service.name);
    const gate = await import('@shipgate/promotion-gate');
    const approvals = await gate.fetchGithubApprovals({
      token: token!,
      repository: repository!,
      runId: runId!,
      environment: environment.name,
      ...(apiUrl ? { apiUrl } : {}),
    });
    const origin = await originFor(ctx);
    const recorded = [];
    for (const approval of approvals) {
      const evidence = gate.approvalEvidence(
        {
          approver: approval.approver,
          via: 'github',
          state: approval.state,
          ...(approval.comment ? { comment: approval.comment } : {}),
        },
        { release, environment: environment.name, origin, recordedAt: ctx.clock.now() },
      );
      // Signed by the CI identity of the environment being entered: the job fetched the review from GitHub's
      // API with its own token, and that job's identity is what vouches for it.
      recorded.push(await recordCiEvidence(ctx, await ctx.config(), ledger, evidence as Evidence));
    }
    const human = recorded.length
      ? recorded
          .map(
            (e) =>
              `${ctx.dryRun ? 'would record' : 'recorded'} ${(e.summary as { state: string }).state} by ${(e.summary as { approver: string }).approver} for ${release.id}`,
          )
          .join('\n')
      : `no reviews of environment ${environment.name} in run ${runId}`;
    return { json: { approvals: recorded }, human };
  },
});
