import { ShipgateError, type Evidence } from '@shipgate/model';
import { defineCommand } from '../command';
import { dryRunOption } from '../support/dry-run-option';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, requireRelease } from '../support/evidence';

/** `shipgate approve`: a release manager approves (or rejects) one release for one environment, signed with their SSH key. */
export const command = defineCommand({
  name: 'approve',
  usage: 'shipgate approve <env> --service S --release R [--key FILE] [--reject] [--comment TEXT] [--dry-run]',
  description: [
    'Signs the approval with your SSH key (--key FILE, or ssh-agent at SSH_AUTH_SOCK) in the SSHSIG format',
    "`ssh-keygen -Y verify` checks; who approved is the principal the repository's allowed-signers file gives",
    'that key, never --as. The approval binds to this release id, its image digest and the environment: a new',
    "release of the same image starts with none. The release's commit authors and its creator cannot approve",
    "it; the approver must be a release manager of the environment's policy. A refused approval is recorded in",
    'the audit log and nothing else; an approval is recorded only when the gate would count it.',
    '--reject records a signed rejection (with --comment as the reason), which blocks the gate.',
    '--break-glass (people in trust.environments.<env>.breakGlass, with --comment) records a signed override that',
    'lets `shipgate rollback <env> --to R --force` or `shipgate deploy <env> --break-glass` take a release that never',
    'passed the gate; it expires in 24 h.',
  ].join('\n'),
  examples: [
    'shipgate approve production --service sample-service --release rel-3f9a --key ~/.ssh/id_ed25519 --comment "QA and stress look good"',
    'shipgate approve production --service sample-service --release rel-3f9a --reject --comment "p95 regressed"',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: { type: 'string', placeholder: 'R', description: 'Release id (or unique prefix)' },
    key: {
      type: 'string',
      placeholder: 'FILE',
      description: 'Your SSH private key (default: ssh-agent at SSH_AUTH_SOCK)',
    },
    reject: { type: 'boolean', description: 'Record a signed rejection instead (needs --comment)' },
    'break-glass': {
      type: 'boolean',
      description: 'Record a signed break-glass override for a release that never passed the gate (needs --comment)',
    },
    comment: { type: 'string', placeholder: 'TEXT', description: 'Why, for the record' },
    'dry-run': dryRunOption,
  },
  positionals: [{ name: 'env', required: true, description: 'Environment the release would enter' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const approvals = environment.promotion?.approvals;
    const breakGlass = ctx.values['break-glass'];
    if (!approvals && !breakGlass) {
      throw new ShipgateError(
        'APPROVAL_REFUSED',
        `expected environment "${environment.name}" to require approvals, found none in its policy`,
        { hint: `Approvals matter only where environments.${environment.name}.promotion.approvals is set.` },
      );
    }
    const comment = ctx.values.comment?.trim();
    if (ctx.values.reject && breakGlass)
      throw new ShipgateError('USAGE', 'expected one of --reject or --break-glass, found both');
    if ((ctx.values.reject || breakGlass) && !comment) {
      throw new ShipgateError(
        'USAGE',
        `expected --comment with the reason for --${breakGlass ? 'break-glass' : 'reject'}, found none`,
        {
          hint: 'Say why, e.g. --comment "p95 regressed in staging".',
        },
      );
    }
    const ledger = await ctx.ledger();
    const release = await requireRelease(ledger, ctx.values.release, service.name);
    await ctx.actor(); // the label is checked like every actor (#11.15), though the key decides who approves
    const [gate, trustLib, { loadTrust }, { personSigner }] = await Promise.all([
      import('@shipgate/promotion-gate'),
      import('@shipgate/trust'),
      import('../support/trust'),
      import('../support/signers'),
    ]);
    const trust = await loadTrust(ctx, loaded, environment.name);
    const refuse = async (message: string, hint: string, who: string): Promise<never> => {
      // A refused approval leaves a trace: who tried, for which release, and why it was refused.
      await ledger.audit.append({
        actor: who,
        action: 'approval.refused',
        subject: { service: release.service, environment: environment.name, releaseId: release.id },
        details: { digest: release.digest, reason: message },
      });
      throw new ShipgateError('APPROVAL_REFUSED', message, { hint });
    };
    let signed: Awaited<ReturnType<typeof personSigner>>;
    try {
      signed = await personSigner(ctx, trust, ctx.values.key);
    } catch (error) {
      if (error instanceof ShipgateError && error.code === 'APPROVAL_REFUSED')
        return refuse(error.message, error.hint ?? '', await ctx.actor());
      throw error;
    }
    const { signer, principal } = signed;
    if (ctx.global.as && ctx.global.as.toLowerCase() !== principal.toLowerCase())
      ctx.warn(`--as ${ctx.global.as} only labels local actions: this approval is ${principal}'s, by their key`);
    if (breakGlass) {
      const { breakGlassPeople, BREAK_GLASS } = await import('../support/break-glass');
      const allowed = breakGlassPeople(loaded, environment.name);
      if (!allowed.includes(principal.toLowerCase())) {
        return refuse(
          `expected someone trust.environments.${environment.name}.breakGlass names (${allowed.join(', ') || 'nobody'}), found ${principal}`,
          'Ask one of them to break glass.',
          principal,
        );
      }
      const now = ctx.clock.now();
      const record = gate.overrideEvidence(
        {
          by: principal,
          reason: comment!,
          freeze: BREAK_GLASS,
          expiresAt: new Date(now.getTime() + gate.overrideLifetimeMs).toISOString(),
        },
        { release, environment: environment.name, origin: await originFor(ctx), recordedAt: now },
      );
      const evidence = (await trustLib.signRecord(record, gate.evidenceCodec, [signer])) as Evidence;
      await ledger.evidence.add(evidence, principal);
      return {
        json: { evidence, signer: { principal, keyId: signer.keyId } },
        human: `${principal} ${ctx.dryRun ? 'would break' : 'broke'} glass for ${release.id} in ${environment.name} (expires ${record.summary.expiresAt}), signed with ${signer.keyId}`,
      };
    }
    // The gate's own rule: an approval refused here is one the gate would not count, and the reverse.
    // The authors and creator are read only from the release as its build CI identity signed it.
    const signedRelease = gate.verifiedRelease(release, trust.trust, ctx.clock.now());
    if (!signedRelease.ok) return refuse(signedRelease.problem, signedRelease.hint, principal);
    const standing = gate.approverStanding(approvals!, signedRelease.release, principal);
    if (standing.conflict) {
      return refuse(
        `expected an approver other than the release's ${standing.conflict === 'author' ? 'commit author' : 'creator'}, found ${principal} (${standing.conflict} of ${release.id})`,
        'Ask another release manager to approve.',
        principal,
      );
    }
    if (!standing.releaseManager) {
      return refuse(
        `expected a release manager of ${environment.name} (${standing.managers.join(', ')}), found ${principal} (the principal of key ${signer.keyId})`,
        'Ask a release manager to approve, or add them under promotion.approvals.releaseManagers (a reviewed change).',
        principal,
      );
    }
    const record = gate.approvalEvidence(
      {
        approver: principal,
        via: 'cli',
        state: ctx.values.reject ? 'rejected' : 'approved',
        ...(comment ? { comment } : {}),
      },
      { release, environment: environment.name, origin: await originFor(ctx), recordedAt: ctx.clock.now() },
    );
    const evidence = (await trustLib.signRecord(record, gate.evidenceCodec, [signer])) as Evidence;
    // Verified as the gate verifies it before anything is written: approve never reports an approval the gate would not count.
    const check = gate.verifyEvidence(evidence, release, trust.trust, ctx.clock.now());
    if (!check.ok) return refuse(`the gate would not count this approval: ${check.refusal.message}`, '', principal);
    await ledger.evidence.add(evidence, principal);
    const verb = ctx.values.reject ? 'reject' : 'approve';
    return {
      json: { evidence, signer: { principal, keyId: signer.keyId } },
      human: `${principal} ${ctx.dryRun ? `would ${verb}` : `${verb}d`} ${release.id} (${release.digest.slice(0, 19)}…) for ${environment.name}, signed with ${signer.keyId}`,
    };
  },
});
