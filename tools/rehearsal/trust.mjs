// The rehearsal's trust set-up and its forgery (issue #12): SSH keys made here for the release
// managers alice and carol, for the author dana and for erin, on call (she may roll production back), listed in the allowed-signers file the
// local-rehearsal profile names; and one forged QA evidence file, written straight into the ledger
// as someone with write access to the state directory would, which the gate must refuse.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Makes an ed25519 key per person under `work/keys` and writes `work/allowed_signers`; returns the key paths. */
export async function makeRehearsalPeople(work, people = ['alice', 'carol', 'dev-dana', 'erin']) {
  const keys = {};
  const lines = [
    '# Made by the rehearsal (tools/rehearsal/trust.mjs): the keys of its release managers, its author and its on-call engineer.',
  ];
  await mkdir(join(work, 'keys'), { recursive: true, mode: 0o700 });
  for (const name of people) {
    const path = join(work, 'keys', name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@rehearsal`, '-f', path]);
    const [type, blob] = (await readFile(`${path}.pub`, 'utf8')).trim().split(' ');
    lines.push(`${name} namespaces="shipgate-approval" ${type} ${blob}`);
    keys[name] = path;
  }
  await writeFile(join(work, 'allowed_signers'), lines.join('\n') + '\n');
  return keys;
}

/**
 * Writes a hand-made QA evidence record for `release` into the file-system ledger at `state`: five
 * passing tests, a recomputed-looking hash, no signature. Returns its id.
 */
export async function forgeQaEvidence(state, release) {
  const id = 'ev-qa-f0f0f0f0f0f0f0f0';
  const record = {
    id,
    kind: 'qa',
    releaseId: release.id,
    service: release.service,
    digest: release.digest,
    environment: 'staging',
    recordedAt: new Date().toISOString(),
    origin: { actor: 'carol', where: 'local', tool: 'vitest' },
    contentHash: 'f'.repeat(64),
    summary: {
      format: 'junit',
      tests: 5,
      passed: 5,
      failures: 0,
      errors: 0,
      skipped: 0,
      durationSeconds: 1,
      suites: 1,
      failedCases: [],
    },
  };
  await mkdir(join(state, 'evidence', release.id), { recursive: true });
  await writeFile(join(state, 'evidence', release.id, `${id}.json`), JSON.stringify(record, null, 2));
  return id;
}
