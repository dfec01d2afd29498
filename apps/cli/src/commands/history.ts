import { recordedDurationMs } from '@shipgate/ledger';
import type { DeploymentRecord } from '@shipgate/model';
import { defineCommand } from '../command';
import { formatDuration, renderTable, shortTime } from '../render/table';
import { requireEnvironment, requireService } from '../support/config';

/** `shipgate history <env> --service S`: deployments and rollbacks, newest first. */
export const command = defineCommand({
  name: 'history',
  usage: 'shipgate history <env> --service S [--limit N]',
  examples: [
    'shipgate history production --service sample-service',
    'shipgate history production --service sample-service --limit 5 --json',
  ],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'The service (may be left out when only one is configured)',
    },
    limit: { type: 'string', placeholder: 'N', default: '20', description: 'At most N deployments (default 20)' },
  },
  positionals: [{ name: 'environment', required: true, description: 'The environment, e.g. production' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const service = requireService(loaded, ctx.values.service).name;
    const environment = requireEnvironment(loaded, ctx.positionals[0]).name;
    const limitText = ctx.values.limit;
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) {
      const { ShipgateError } = await import('@shipgate/model');
      throw new ShipgateError('USAGE', `expected --limit to be a whole number of at least 1, found "${limitText}"`, {
        hint: 'For example --limit 10.',
      });
    }
    const ledger = await ctx.ledger();
    const all = await ledger.deployments.list({ service, environment });
    const { lastKnownGood } = await import('@shipgate/rollback');
    // Marked by the one definition that rollback and status use.
    const good = lastKnownGood(all)?.id;
    const shown = all
      .slice(0, limit)
      .map((d) => ({ ...d, durationMs: recordedDurationMs(d), lastKnownGood: d.id === good }));
    const human = shown.length
      ? renderTable(
          ['deployment', 'kind', 'release', 'outcome', 'duration', 'started', 'by', 'note'],
          shown.map((d) => [
            d.id,
            d.kind,
            d.releaseId,
            d.outcome,
            formatDuration(d.durationMs),
            shortTime(d.startedAt),
            d.startedBy,
            note(d),
          ]),
        ) + (all.length > shown.length ? `\n(${all.length - shown.length} older; --limit ${all.length} shows all)` : '')
      : `no deployments of ${service} to ${environment} in the ledger`;
    return { json: { service, environment, total: all.length, deployments: shown }, human };
  },
});

function note(d: DeploymentRecord & { lastKnownGood: boolean }): string {
  const parts: string[] = [];
  if (d.lastKnownGood) parts.push('last known good');
  if (d.kind === 'rollback') {
    if (d.timeToRestoreMs !== undefined) parts.push(`restored in ${formatDuration(d.timeToRestoreMs)}`);
    if (d.rolledBackDeploymentId) parts.push(`undid ${d.rolledBackDeploymentId}`);
  }
  if (d.reason) parts.push(`reason: ${d.reason}`);
  if (d.failure) parts.push(`failure: ${d.failure}`);
  return parts.join('; ');
}
