/**
 * Audit append cost on a log that already holds entries: shipgate's AuditLog (cached tail, galloping
 * probe on a lost race) against the naive way (list the whole log to find the tail before each
 * append), on both stores; then commands (a fresh handle, as a new CLI process has, appending 3
 * entries) with and without the signed checkpoint every state-changing command ends with.
 * Run: npx tsx libs/ledger/bench/audit-append.bench.ts [existing] [appends] [commands]
 */
import { generateKeyPairSync } from 'node:crypto';
import { createKeySigner } from '@shipgate/trust';
import { ManualClock, seededRandom } from '@shipgate/model';
import { auditEntryBytes, auditKey, genesisHash, parseAuditEntry, sealAuditEntry } from '../src/audit-entry';
import { AuditLog } from '../src/audit-log';
import type { StateStore } from '../src/state-store';
import { createStoreFixture, type StoreKind } from '../src/testing/store-fixture';

const existing = Number(process.argv[2] ?? 2000);
const appends = Number(process.argv[3] ?? 200);
const commands = Number(process.argv[4] ?? 100);
const signer = createKeySigner(generateKeyPairSync('ed25519').privateKey, { kind: 'ci', name: 'bench-ci' });
const clock = new ManualClock();

async function naiveAppend(store: StateStore, i: number): Promise<void> {
  const keys = await store.list('audit/');
  const last = keys.at(-1);
  const tail = last ? parseAuditEntry((await store.get(last))!.body) : undefined;
  const prev = tail?.ok ? tail.entry : { seq: 0, hash: genesisHash };
  const entry = sealAuditEntry(
    { actor: 'bench', action: 'naive', details: { i } },
    prev.seq + 1,
    clock.now(),
    prev.hash,
  );
  if ((await store.createIfAbsent(auditKey(entry.seq), auditEntryBytes(entry))) !== 'created')
    throw new Error('lost a race in a single-writer bench');
}

async function run(kind: StoreKind): Promise<void> {
  const fx = await createStoreFixture(kind, { pageSize: 1000 });
  try {
    const seed = new AuditLog(fx.store, { clock, random: seededRandom(1) });
    for (let i = 0; i < existing; i++) await seed.append({ actor: 'seed', action: 'seed' });
    let t = performance.now();
    for (let i = 0; i < appends; i++) await naiveAppend(fx.store, i);
    const naiveMs = performance.now() - t;
    // A fresh handle, as a new CLI process would have: its first append finds the tail by galloping.
    const log = new AuditLog(await fx.reopen(), { clock, random: seededRandom(2) });
    t = performance.now();
    for (let i = 0; i < appends; i++) await log.append({ actor: 'bench', action: 'ours', details: { i } });
    const oursMs = performance.now() - t;
    const report = await log.verify();
    console.log(
      `${kind}: ${appends} appends onto ${existing} entries: naive (list the log each time) ${(naiveMs / appends).toFixed(2)} ms/append, ` +
        `AuditLog ${(oursMs / appends).toFixed(2)} ms/append, ratio ${(naiveMs / oursMs).toFixed(1)}x; chain ${report.ok ? `ok (${report.entries})` : 'BROKEN'}`,
    );
    // Commands with and without their checkpoint, interleaved in rounds so that load drifts hit both.
    const command = async (checkpoint: boolean) => {
      const handle = new AuditLog(await fx.reopen(), { clock, random: seededRandom(3) });
      for (let i = 0; i < 3; i++) await handle.append({ actor: 'bench', action: 'command', details: { i } });
      if (checkpoint) await handle.checkpoint(signer);
    };
    let withoutMs = 0;
    let withMs = 0;
    for (let round = 0; round < commands; round++) {
      t = performance.now();
      await command(false);
      withoutMs += performance.now() - t;
      t = performance.now();
      await command(true);
      withMs += performance.now() - t;
    }
    console.log(
      `${kind}: ${commands} commands of 3 appends: without checkpoint ${(withoutMs / commands).toFixed(2)} ms/command, ` +
        `with a signed checkpoint ${(withMs / commands).toFixed(2)} ms/command, ratio ${(withMs / withoutMs).toFixed(2)}x`,
    );
  } finally {
    await fx.close();
  }
}

await run('fs');
await run('s3');
