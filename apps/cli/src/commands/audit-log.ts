import { defineCommand } from '../command';
import { renderTable, shortTime } from '../render/table';

/** `shipgate audit log`: who did what, when, to which release. */
export const command = defineCommand({
  name: 'audit log',
  usage: 'shipgate audit log [--release R] [--environment E] [--service S] [--actor A] [--action X] [--limit N]',
  examples: ['shipgate audit log --environment production --limit 20', 'shipgate audit log --release rel-3f9a --json'],
  options: {
    release: { type: 'string', placeholder: 'R', description: 'Only entries about this release' },
    environment: { type: 'string', placeholder: 'E', description: 'Only entries about this environment' },
    service: { type: 'string', placeholder: 'S', description: 'Only entries about this service' },
    actor: { type: 'string', placeholder: 'A', description: 'Only entries by this actor' },
    action: { type: 'string', placeholder: 'X', description: 'Only this action (e.g. deploy.start, rollback)' },
    limit: { type: 'string', placeholder: 'N', description: 'The last N entries (default 50)' },
  },
  async run(ctx) {
    const ledger = await ctx.ledger();
    const v = ctx.values;
    let releaseId = v.release;
    if (releaseId) releaseId = (await ledger.releases.get(releaseId)).id;
    const limit = Number(v.limit ?? 50);
    const entries = await ledger.audit.list({
      ...(releaseId ? { releaseId } : {}),
      ...(v.environment ? { environment: v.environment } : {}),
      ...(v.service ? { service: v.service } : {}),
      ...(v.actor ? { actor: v.actor } : {}),
      ...(v.action ? { action: v.action } : {}),
      // The ledger reads backwards from the newest entry and stops after `limit` matches.
      limit: Number.isFinite(limit) && limit > 0 ? limit : 50,
    });
    const shown = entries;
    const human = shown.length
      ? renderTable(
          ['#', 'time', 'actor', 'action', 'subject'],
          shown.map((e) => [
            String(e.seq),
            shortTime(e.at),
            e.actor,
            e.action,
            [e.subject.service, e.subject.environment, e.subject.releaseId, e.subject.deploymentId]
              .filter(Boolean)
              .join(' '),
          ]),
        )
      : 'no matching audit entries';
    return { json: { entries: shown }, human };
  },
});
