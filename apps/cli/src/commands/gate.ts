import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { requireRelease } from '../support/evidence';
import { evaluateAndRecord, renderDecisionForPeople } from '../support/gate';

/** `shipgate gate`: may this release enter this environment? Every requirement, passed or not. */
export const command = defineCommand({
  name: 'gate',
  usage: 'shipgate gate <env> --service S --release R [--emergency-override REASON [--key FILE]]',
  description: [
    "Lists every requirement of the environment's promotion policy (QA, stress, approvals, freeze windows)",
    'with its status (pass, fail, missing, stale), what was required and what was observed. It never stops',
    'at the first failure. Exit 0 on pass, 1 on block. With GITHUB_STEP_SUMMARY set, the decision is also',
    'appended to the job summary as Markdown. --emergency-override lifts the freeze window in force when the',
    'policy names you in emergencyOverride.allowedBy: it is signed with your SSH key (--key FILE, or ssh-agent),',
    'recorded with its reason, bound to that freeze and expires with it (24 h at most). Every decision records',
    'the digest of the policy and configuration it was taken under, and any profile in force.',
  ].join('\n'),
  examples: [
    'shipgate gate production --service sample-service --release rel-3f9a',
    'shipgate gate production --service sample-service --release rel-3f9a --json',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: { type: 'string', placeholder: 'R', description: 'Release id (or unique prefix)' },
    key: {
      type: 'string',
      placeholder: 'FILE',
      description: 'SSH private key that signs --emergency-override (default: ssh-agent at SSH_AUTH_SOCK)',
    },
    'emergency-override': {
      type: 'string',
      placeholder: 'REASON',
      description: 'Override a freeze window (only people allowed by the policy); recorded with the reason',
    },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment the release would enter' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const ledger = await ctx.ledger();
    const release = await requireRelease(ledger, ctx.values.release, service.name);
    const reason = ctx.values['emergency-override'];
    if (reason !== undefined && reason.trim().length < 10) {
      throw new ShipgateError(
        'USAGE',
        `expected --emergency-override to give a reason people can read later (10 characters or more), found "${reason}"`,
        { hint: 'Say why the freeze must be lifted, e.g. "hotfix for incident INC-123: checkout failing".' },
      );
    }
    const keyPath = ctx.values.key;
    const override = reason ? { reason: reason.trim(), ...(keyPath ? { keyPath } : {}) } : undefined;
    const decision = await evaluateAndRecord(ctx, loaded, ledger, release, environment.name, override);
    return {
      exitCode: decision.outcome === 'pass' ? 0 : 1,
      json: { decision, ...(loaded.profile ? { profile: loaded.profile } : {}) },
      human: await renderDecisionForPeople(decision, loaded.profile),
    };
  },
});
