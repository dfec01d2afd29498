import type { AuditVerification } from '@shipgate/ledger';
import { defineCommand } from '../command';

/**
 * `shipgate audit verify`: the hash chain, the signed checkpoints against it (truncation, rewriting),
 * every record against its audit entry (records deleted, added or edited behind the log's back), stray
 * objects in the store, and whether the store itself prevents deletion. Exit 1 on any finding.
 */
export const command = defineCommand({
  name: 'audit verify',
  usage: 'shipgate audit verify',
  description:
    'Checks the audit log against the newest signed checkpoint and every ledger record against the entry that wrote it; lists every finding with expected versus found, and exits 1 when there is one.',
  examples: ['shipgate audit verify', 'shipgate audit verify --state s3://my-bucket/shipgate --json'],
  options: {},
  async run(ctx) {
    const [{ verifyAudit }, { auditTrust, recordSignatureCheck }, { rollbackPeople }] = await Promise.all([
      import('@shipgate/ledger'),
      import('../support/audit-trust'),
      import('../support/rollback-authorisation'),
    ]);
    const ledger = await ctx.ledger();
    const { trust, trusted } = await auditTrust(ctx);
    const now = ctx.clock.now();
    const report = await verifyAudit(ledger.store, {
      verifier: trust.trust.verifier,
      targetKind: trust.targetKind,
      now,
      verifyRecord: await recordSignatureCheck(trust, now, rollbackPeople.bind(undefined, await ctx.config())),
    });
    const json = { ...report, trusted };
    return { ...(report.ok ? {} : { exitCode: 1 }), json, human: renderAuditVerification(report, trusted) };
  },
});

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report for people: what was checked, then each finding with expected versus found. */
export function renderAuditVerification(report: AuditVerification, trusted: string[]): string {
  const c = report.checkpoints;
  const newest = c.newest
    ? `newest covers ${plural(c.newest.entryCount, 'entry', 'entries')}, signed by ${c.newest.signers.join(', ')} at ${c.newest.at}`
    : 'none valid';
  const lines = [
    `audit log at ${report.log}: ${plural(report.entries, 'entry', 'entries')}`,
    `  chain        ${report.chain.ok ? `intact (head ${report.chain.headHash.slice(0, 12)}…)` : `broken at entry #${report.chain.seq}`}`,
    `  checkpoints  ${c.stored} stored, ${c.valid} valid; ${newest}`,
    ...(c.unanchoredEntries
      ? [
          `               ${plural(c.unanchoredEntries, 'entry', 'entries')} after the newest valid checkpoint, covered by no signature`,
        ]
      : []),
    `  records      ${plural(report.records, 'record')} cross-checked against their audit entries`,
    `  store        ${report.protection.kind === 'object-lock' ? '' : 'no retention: '}${report.protection.description}`,
    `  trusted      ${trusted.length ? trusted.join('; ') : 'no key (trust section without CI keys, no rehearsal key): no checkpoint can verify'}`,
  ];
  if (report.ok) return [...lines, 'audit verified: no findings'].join('\n');
  lines.push(`audit log BROKEN: ${plural(report.findings.length, 'finding')}`);
  for (const f of report.findings) {
    lines.push(`- ${f.problem}: ${f.about}`, `    expected ${f.expected}`, `    found    ${f.found}`);
    if (f.hint) lines.push(`    hint: ${f.hint}`);
  }
  return lines.join('\n');
}
