import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditKey, genesisHash, hashAuditEntry, newRecordId } from '@shipgate/ledger';
import { canonicalJson, makeRelease, seededRandom, type DeploymentRecord, type Release } from '@shipgate/model';

/** What the generated ledger holds. */
export interface LedgerShape {
  releases: number;
  deployments: number;
  auditEntries: number;
}

const services = ['api', 'web', 'worker', 'billing', 'search'];
const environments = ['test', 'staging', 'production'];

/**
 * Writes a large ledger straight to a directory in the filesystem store's layout (one JSON file per
 * record, three versions per deployment record; audit entries in canonical form, hash-chained, so `audit verify` walks all of them): writing
 * it through the ledger would fsync each of 100,000+ files and take many minutes.
 */
export async function writeLargeLedger(root: string, releases: number, auditEntries: number): Promise<LedgerShape> {
  for (const dir of ['releases', 'deployments', 'audit']) await mkdir(join(root, dir), { recursive: true });
  const start = Date.UTC(2026, 0, 1);
  const made: Release[] = [];
  const write = async (items: [string, string][]) => {
    for (let i = 0; i < items.length; i += 256)
      await Promise.all(items.slice(i, i + 256).map(([key, body]) => writeFile(join(root, key), body)));
  };
  const pending: [string, string][] = [];
  for (let i = 0; i < releases; i++) {
    const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
    const r = makeRelease({
      service: services[i % services.length]!,
      image: `registry.example/${services[i % services.length]}@${digest}`,
      gitSha: i.toString(16).padStart(7, '0'),
      createdBy: 'ci',
      createdAt: new Date(start + i * 60_000),
    });
    made.push(r);
    pending.push([`releases/${r.id}.json`, `${JSON.stringify(r, null, 2)}\n`]);
  }
  // Every release reaches test, every third staging, every eleventh production (so every service has
  // been in production: a service never deployed somewhere makes the board read the whole history).
  let deployments = 0;
  const dirs: string[] = [];
  const random = seededRandom(16);
  made.forEach((r, i) => {
    environments.forEach((environment, level) => {
      if (level === 1 && i % 3) return;
      if (level === 2 && i % 11) return;
      const at = start + i * 60_000 + level * 10_000;
      const d: DeploymentRecord = {
        // As the deploy makes it: the start time's stamp and a random tail, so ids sort by time.
        id: newRecordId('dep', { now: () => new Date(at) }, random),
        releaseId: r.id,
        service: r.service,
        environment,
        digest: r.digest,
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'ci',
        startedAt: new Date(at).toISOString(),
        finishedAt: new Date(at + 5_000).toISOString(),
        durationMs: 5_000,
        outcome: i % 17 === 0 ? 'rolled-back' : 'succeeded',
        trafficTimeline: [
          { atMs: 1000, blue: 100, green: 0 },
          { atMs: 4000, blue: 0, green: 100 },
        ],
      };
      deployments++;
      // As the deploy writes it: started, then the controller's id, then the outcome (the filesystem
      // store keeps version 1 visible and each update as hidden history, which reads must follow).
      const started: DeploymentRecord = { ...d, outcome: 'in-progress' };
      delete started.finishedAt;
      delete started.durationMs;
      delete started.trafficTimeline;
      const versions = `deployments/.${d.id}.json.versions`;
      dirs.push(versions);
      pending.push([`deployments/${d.id}.json`, `${JSON.stringify(started, null, 2)}\n`]);
      pending.push([
        `${versions}/000000000002`,
        `${JSON.stringify({ ...started, controllerDeploymentId: `d-${i}` }, null, 2)}\n`,
      ]);
      pending.push([
        `${versions}/000000000003`,
        `${JSON.stringify({ ...d, controllerDeploymentId: `d-${i}` }, null, 2)}\n`,
      ]);
    });
  });
  for (const dir of dirs) await mkdir(join(root, dir));
  await write(pending.splice(0));
  let prevHash = genesisHash;
  for (let seq = 1; seq <= auditEntries; seq++) {
    const r = made[seq % made.length]!;
    const unsealed = {
      seq,
      at: new Date(start + seq * 1000).toISOString(),
      actor: 'ci',
      action: seq % 4 === 0 ? 'deploy.finish' : 'evidence.add',
      subject: { service: r.service, releaseId: r.id },
      details: { n: seq },
      prevHash,
    };
    const entry = { ...unsealed, hash: hashAuditEntry(unsealed) };
    prevHash = entry.hash;
    pending.push([auditKey(seq), `${canonicalJson(entry)}\n`]);
    if (pending.length >= 4096) await write(pending.splice(0));
  }
  await write(pending.splice(0));
  return { releases, deployments, auditEntries };
}
