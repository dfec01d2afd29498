import { defineCommand } from '../command';
import { renderTable, shortTime } from '../render/table';

/** `shipgate release list`: releases, newest first. */
export const command = defineCommand({
  name: 'release list',
  usage: 'shipgate release list [--service S] [--limit N]',
  examples: ['shipgate release list', 'shipgate release list --service sample-service --limit 5 --json'],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Only releases of this service' },
    limit: { type: 'string', placeholder: 'N', description: 'At most N releases (default 20)' },
  },
  async run(ctx) {
    const ledger = await ctx.ledger();
    const service = ctx.values.service;
    const limit = Number(ctx.values.limit ?? 20);
    const releases = (await ledger.releases.list(service ? { service } : {}))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, Number.isFinite(limit) && limit > 0 ? limit : 20);
    const human = releases.length
      ? renderTable(
          ['release', 'service', 'digest', 'git sha', 'created', 'by'],
          releases.map((r) => [
            r.id,
            r.service,
            r.digest.slice(0, 19) + '…',
            r.gitSha?.slice(0, 10) ?? '',
            shortTime(r.createdAt),
            r.createdBy,
          ]),
        )
      : 'no releases yet: create one with `shipgate release create --service S --image REF@sha256:<digest>`';
    return { json: { releases }, human };
  },
});
