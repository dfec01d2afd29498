import { defineCommand } from '../command';
import { formatDuration, renderTable, shortTime } from '../render/table';

/** `shipgate release show <id>`: one release with its evidence and deployments. */
export const command = defineCommand({
  name: 'release show',
  usage: 'shipgate release show <release-id or unique prefix>',
  examples: ['shipgate release show rel-3f9a', 'shipgate release show rel-3f9a0c1d2e3f4a5b --json'],
  options: {},
  positionals: [{ name: 'release', required: true, description: 'Release id, or a unique prefix of it' }],
  async run(ctx) {
    const ledger = await ctx.ledger();
    const release = await ledger.releases.get(ctx.positionals[0]!);
    const evidence = await ledger.evidence.list({ releaseId: release.id });
    const deployments = (await ledger.deployments.list({ service: release.service })).filter(
      (d) => d.releaseId === release.id,
    );
    const lines = [
      `release  ${release.id}`,
      `service  ${release.service}`,
      `image    ${release.image}`,
      `git sha  ${release.gitSha ?? '(not given)'}`,
      `created  ${shortTime(release.createdAt)} by ${release.createdBy}${release.author ? ` (author ${release.author})` : ''}`,
      '',
      evidence.length
        ? renderTable(
            ['evidence', 'environment', 'kind', 'recorded', 'by'],
            evidence.map((e) => [e.id, e.environment, e.kind, shortTime(e.recordedAt), e.origin.actor]),
          )
        : 'no evidence recorded yet',
      '',
      deployments.length
        ? renderTable(
            ['deployment', 'environment', 'kind', 'outcome', 'duration', 'started'],
            deployments.map((d) => [
              d.id,
              d.environment,
              d.kind,
              d.outcome,
              formatDuration(d.durationMs),
              shortTime(d.startedAt),
            ]),
          )
        : 'not deployed anywhere yet',
    ];
    return { json: { release, evidence, deployments }, human: lines.join('\n') };
  },
});
