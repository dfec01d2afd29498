import { defineCommand } from '../command';

/** `shipgate audit verify`: walk the hash chain; name the first bad entry; exit 1 if broken. */
export const command = defineCommand({
  name: 'audit verify',
  usage: 'shipgate audit verify',
  examples: ['shipgate audit verify', 'shipgate audit verify --state s3://my-bucket/shipgate --json'],
  options: {},
  async run(ctx) {
    const ledger = await ctx.ledger();
    const report = await ledger.audit.verify();
    if (report.ok) {
      return {
        json: report,
        human: `audit log intact: ${report.entries} entr${report.entries === 1 ? 'y' : 'ies'}, hash chain verified`,
      };
    }
    return {
      exitCode: 1,
      json: report,
      human: [
        `audit log BROKEN at entry #${report.seq}: ${report.problem}`,
        `  expected ${report.expected}`,
        `  found    ${report.found}`,
        'hint: the entry was edited, deleted or reordered after it was written; restore the state directory (or bucket) from a backup and compare.',
      ].join('\n'),
    };
  },
});
