// Rehearsal step (#12.7): a copy of the rehearsal's ledger with the newest audit entries deleted, as
// someone with write access to the state directory would, and `shipgate audit verify` finding it
// against the newest signed checkpoint. The real ledger is left untouched.
import { cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Truncates a copy of `state` by `count` entries and checks that audit verify reports it (exit 1). */
export async function showTruncationDetected({ state, work, shipgate, check, say, count = 3 }) {
  const copy = join(work, 'audit-tampered');
  await rm(copy, { recursive: true, force: true });
  await cp(state, copy, { recursive: true });
  const entries = (await readdir(join(copy, 'audit'))).filter((n) => /^\d{12}\.json$/.test(n)).sort();
  const doomed = entries.slice(-count);
  for (const name of doomed) await rm(join(copy, 'audit', name));
  say(`deleted audit entries ${doomed.map((n) => `#${Number(n.slice(0, 12))}`).join(', ')} from a copy at ${copy}`);
  const verify = await shipgate(['audit', 'verify'], { state: copy, expect: [0, 1] });
  const truncated = verify.json?.findings?.find((f) => f.problem === 'truncated');
  check(
    verify.code === 1 && truncated !== undefined,
    truncated
      ? `truncated log detected (exit ${verify.code}): ${truncated.about}: expected ${truncated.expected}, found ${truncated.found}`
      : `truncated log NOT detected: audit verify exited ${verify.code} with ${JSON.stringify(verify.json?.findings ?? verify.json).slice(0, 300)}`,
  );
}

/**
 * `audit verify` on the rehearsal's own ledger: intact chain and checkpoints, and the only findings
 * are about the records the rehearsal planted behind the log's back (the trust step's hand-written
 * evidence file), each found both as unaudited and as unsigned.
 */
export async function checkAudit({ shipgate, check, planted = [] }) {
  const audit = await shipgate(['audit', 'verify'], { expect: [0, 1] });
  const json = audit.json ?? {};
  const cp = json.checkpoints;
  const findings = json.findings ?? [];
  const others = findings.filter((f) => !planted.includes(f.about));
  check(
    json.chain?.ok === true && cp?.valid > 0 && others.length === 0,
    `audit verified: ${json.entries} entries under ${cp?.valid} signed checkpoints (${cp?.unanchoredEntries} after the newest), ${json.records} records cross-checked${others.length ? `; unexpected findings: ${JSON.stringify(others).slice(0, 600)}` : ''}`,
  );
  for (const key of planted) {
    const problems = findings.filter((f) => f.about === key).map((f) => f.problem);
    check(
      problems.includes('unaudited-record') && problems.includes('record-signature') && audit.code === 1,
      `the planted ${key} is found by audit verify (exit ${audit.code}): ${problems.join(', ') || 'NOT found'}`,
    );
  }
}
