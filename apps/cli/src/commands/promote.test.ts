import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsStateStore, openLedger } from '@shipgate/ledger';
import { cryptoRandom, systemClock } from '@shipgate/model';
import { main } from '../main';
import { captureOutput } from '../render/output';
import * as config from '../support/config';
import * as ledger from '../support/ledger';

// Spies that count calls and run the real functions: the file is really read, the ledger really opened.
vi.mock('../support/config', async (original) => {
  const real = await original<typeof config>();
  return { ...real, loadConfig: vi.fn(real.loadConfig) };
});
vi.mock('../support/ledger', async (original) => {
  const real = await original<typeof ledger>();
  return { ...real, openLedgerFor: vi.fn(real.openLedgerFor) };
});

const exampleConfig = new URL('../../../../shipgate.yaml', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-promote-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function shipgate(state: string, ...argv: string[]) {
  const io = captureOutput();
  const code = await main(['--config', exampleConfig, '--state', state, '--json', ...argv], io);
  return { code, json: io.out ? (JSON.parse(io.out) as Record<string, unknown>) : undefined, err: io.err };
}

describe('promote (#11.22)', () => {
  it('reads shipgate.yaml once and opens the ledger once, for itself, the deploy it runs and its gate', async () => {
    const state = join(dir, 'state');
    const created = await shipgate(
      state,
      ...['--policy-profile', 'local-rehearsal', 'release', 'create', '--service', 'sample-service'],
      ...['--git-sha', 'abcdef1'],
      ...['--image', `registry.example/sample@sha256:${'7c'.repeat(32)}`],
    );
    const release = (created.json!.release as { id: string; digest: string }).id;
    // The release serves in staging, as the ledger records it (promote takes it from there).
    const store = openLedger(new FsStateStore(state), { clock: systemClock, random: cryptoRandom });
    const now = new Date().toISOString();
    await store.deployments.start(
      {
        id: 'dep-staging-1',
        releaseId: release,
        service: 'sample-service',
        environment: 'staging',
        digest: `sha256:${'7c'.repeat(32)}`,
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'ci',
        startedAt: now,
        finishedAt: now,
        outcome: 'succeeded',
      },
      'ci',
    );
    vi.mocked(config.loadConfig).mockClear();
    vi.mocked(ledger.openLedgerFor).mockClear();

    // No QA, stress or approval for production: the gate blocks the dry run before any AWS call.
    const promoted = await shipgate(state, 'promote', 'production', '--service', 'sample-service', '--dry-run');
    expect(promoted.code).toBe(1);
    expect(promoted.json).toMatchObject({ promotedFrom: 'staging', release, outcome: 'blocked', dryRun: true });
    expect(vi.mocked(config.loadConfig)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(ledger.openLedgerFor)).toHaveBeenCalledTimes(1);
  });

  it('needs no config for commands that use none: config schema runs with --config naming no file', async () => {
    vi.mocked(config.loadConfig).mockClear();
    const io = captureOutput();
    const code = await main(['config', 'schema', '--config', join(dir, 'missing.yaml'), '--json'], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.out)).toHaveProperty('$schema');
    expect(vi.mocked(config.loadConfig)).not.toHaveBeenCalled();
  });
});
