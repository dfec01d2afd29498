import { newRecordId, openLedger } from '@shipgate/ledger';
import { createStoreFixture, type StoreKind } from '@shipgate/ledger/testing';
import { seededRandom, systemClock, type DeploymentRecord, type Random } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { boardDetermined, boardRows } from './board-model';
import type { ConsoleEnvironment } from './console-source';
import { DeploymentSnapshot, type Snapshot } from './deployment-snapshot';

const environments: ConsoleEnvironment[] = [
  { name: 'staging', services: ['api', 'web'] },
  { name: 'production', services: ['api', 'web', 'worker'] },
];
const hour = 3_600_000;

/**
 * A history as the ledger writes it: ids from newRecordId at each start, several services and
 * environments interleaved, deploys that succeed, fail, are stopped or rolled back, break-glass deploys,
 * rollbacks (some failing, some never finished), runs that died leaving a record in progress, and
 * deploys that overlap or record their outcome hours later (within the settle window).
 */
function generateHistory(random: Random, size: number): DeploymentRecord[] {
  const out: DeploymentRecord[] = [];
  let t = Date.UTC(2026, 0, 1) + random.int(1000);
  const cellsOf = environments.flatMap((e) => e.services.map((s) => [e.name, s] as const));
  cellsOf.push(['production', 'unconfigured']);
  for (let i = 0; i < size; i++) {
    t += random.next() < 0.2 ? random.int(1_000) : random.int(3 * hour);
    const [environment, service] = cellsOf[random.int(cellsOf.length)]!;
    const id = newRecordId('dep', { now: () => new Date(t) }, random);
    const startedAt = new Date(t + random.int(900)).toISOString();
    const here = out.filter((d) => d.environment === environment && d.service === service);
    const roll = random.next();
    const isRollback = here.length > 0 && roll < 0.2;
    const outcomes: DeploymentRecord['outcome'][] = [
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'rolled-back',
      'stopped',
      'in-progress',
    ];
    const outcome = outcomes[random.int(outcomes.length)]!;
    const duration = random.next() < 0.1 ? random.int(20 * hour) : 1_000 + random.int(600_000);
    const target = isRollback ? here[random.int(here.length)]! : undefined;
    const record: DeploymentRecord = {
      id,
      releaseId: isRollback ? here[random.int(here.length)]!.releaseId : `rel-${service}-${i}`,
      service,
      environment,
      digest: `sha256:${'0'.repeat(64)}`,
      controller: 'codedeploy',
      kind: isRollback ? 'rollback' : 'deploy',
      startedBy: 'ci',
      startedAt,
      outcome: isRollback && outcome === 'rolled-back' ? 'succeeded' : outcome,
      ...(outcome !== 'in-progress' ? { finishedAt: new Date(Date.parse(startedAt) + duration).toISOString() } : {}),
      ...(target ? { rolledBackDeploymentId: target.id } : {}),
      ...(!isRollback && outcome === 'succeeded' && random.next() < 0.15
        ? { breakGlass: { by: 'erin', evidenceId: `ev-break-glass-${i}` } }
        : {}),
    };
    out.push(record);
  }
  return out;
}

/** The deployments port over records in memory, counting what is read. */
function memoryDeployments(records: readonly DeploymentRecord[]) {
  const byId = new Map(records.map((r) => [r.id, r]));
  const counter = { read: 0 };
  return {
    counter,
    deployments: {
      ids: async () => [...byId.keys()],
      getMany: async (ids: readonly string[]) => {
        counter.read += ids.length;
        return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      },
    },
  };
}

const noTimer = () => ({});

function snapshotOver(ledger: ConstructorParameters<typeof DeploymentSnapshot>[0], sliceSize: number) {
  return new DeploymentSnapshot(ledger, systemClock, {
    sliceSize,
    setTimer: noTimer,
    enough: (deployments, horizon) => boardDetermined(environments, deployments, horizon),
  });
}

describe('the cold board from the newest deployment records', () => {
  it('equals the board over the whole history, over many generated histories', async () => {
    let early = 0;
    let read = 0;
    let total = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const history = generateHistory(random, 20 + random.int(400));
      const whole = boardRows(environments, history);
      const { deployments } = memoryDeployments(history);
      const snapshot = snapshotOver(
        { deployments } as unknown as ConstructorParameters<typeof DeploymentSnapshot>[0],
        1 + random.int(24),
      );
      const first: Snapshot = await snapshot.start();
      expect(boardRows(environments, first.deployments), `seed ${seed}`).toEqual(whole);
      if (first.horizon) {
        early++;
        read += first.deployments.length;
        total += history.length;
      }
      snapshot.stop();
    }
    // Not vacuous: most histories answer early, from a small part of their records.
    expect(early).toBeGreaterThan(150);
    expect(read / total).toBeLessThan(0.5);
    console.log(
      `early answers: ${early}/300 histories, reading ${((100 * read) / total).toFixed(1)}% of their records`,
    );
  });

  it('reads everything before answering when an id does not sort by time', async () => {
    const history = generateHistory(seededRandom(7), 200);
    history.push({ ...history[0]!, id: 'legacy-deployment' });
    const { deployments } = memoryDeployments(history);
    const snapshot = snapshotOver({ deployments } as never, 8);
    const first = await snapshot.start();
    expect(first.horizon).toBeUndefined();
    expect(first.deployments).toHaveLength(history.length);
  });

  it('covering(): a page about older records waits for the whole history', async () => {
    const history = generateHistory(seededRandom(11), 400);
    const { deployments } = memoryDeployments(history);
    const snapshot = snapshotOver({ deployments } as never, 4);
    const first = await snapshot.start();
    expect(first.horizon).toBeDefined();
    const recent = await snapshot.covering(first.horizon!.startedBefore);
    expect(recent.horizon === undefined || recent.horizon.startedBefore <= first.horizon!.startedBefore).toBe(true);
    const oldest = Math.min(...history.map((d) => Date.parse(d.startedAt)));
    const whole = await snapshot.covering(oldest);
    expect(whole.horizon).toBeUndefined();
    expect(whole.deployments).toHaveLength(history.length);
  });

  for (const kind of ['fs', 's3'] as StoreKind[]) {
    it(`answers early and equal to the whole read over a real ${kind} store`, async () => {
      const f = await createStoreFixture(kind);
      try {
        const ledger = openLedger(f.store, { clock: systemClock, random: seededRandom(3) });
        const history = generateHistory(seededRandom(5), 160);
        for (const d of history) await ledger.deployments.start(d, 'ci');
        const snapshot = snapshotOver(ledger, 16);
        const first = await snapshot.start();
        expect(first.horizon).toBeDefined();
        expect(first.deployments.length).toBeLessThan(history.length);
        expect(boardRows(environments, first.deployments)).toEqual(
          boardRows(environments, await ledger.deployments.list()),
        );
        snapshot.stop();
      } finally {
        await f.close();
      }
    });
  }
});
