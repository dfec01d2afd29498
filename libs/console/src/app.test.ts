import { openLedger, type Ledger } from '@shipgate/ledger';
import { createStoreFixture, type StoreFixture } from '@shipgate/ledger/testing';
import { makeRelease, seededRandom, systemClock, type Decision } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleApp } from './app';
import { loadAssets } from './assets';
import { readOnlyStore } from './read-only-store';

// The console's routes through Hono's fetch, over both real ledger backends (a directory and S3).
const port = 8790;
const digest = 'sha256:' + 'ab'.repeat(32);
const fixtures: StoreFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.close();
});

async function consoleOver(kind: 'fs' | 's3', token?: string, badgeMaxAgeMs?: number) {
  const f = await createStoreFixture(kind);
  fixtures.push(f);
  const writer = openLedger(f.store, { clock: systemClock, random: seededRandom(1) });
  const { release } = await writer.releases.create(
    makeRelease({
      service: 'api',
      image: `registry.example/api@${digest}`,
      gitSha: 'c0ffee1',
      createdBy: 'ci',
      createdAt: new Date(),
    }),
    'ci',
  );
  const ledger: Ledger = openLedger(readOnlyStore(f.store), { clock: systemClock, random: seededRandom(2) });
  const decisions: string[] = [];
  const { app } = createConsoleApp({
    source: {
      ledger,
      environments: [{ name: 'production', services: ['api'] }],
      decide: async (r, environment): Promise<Decision> => {
        decisions.push(`${r.id} ${environment}`);
        return {
          id: 'dec-1',
          releaseId: r.id,
          service: r.service,
          digest: r.digest,
          environment,
          outcome: 'block',
          evaluatedAt: new Date().toISOString(),
          requirements: [
            { id: 'approvals', title: 'Approvals', status: 'fail', required: '≥ 1', observed: '0', reason: 'none' },
          ],
        };
      },
      commandPrefix: ['--state', f.location],
      clock: systemClock,
      stateLocation: f.location,
    },
    assets: await loadAssets(),
    listen: { host: '127.0.0.1', port: () => port },
    ...(token ? { token } : {}),
    ...(badgeMaxAgeMs !== undefined ? { badgeMaxAgeMs } : {}),
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.fetch(new Request(`http://127.0.0.1:${port}${path}`, { headers: { host: `127.0.0.1:${port}`, ...headers } }));
  return { app, get, release, ledger, writer, decisions, location: f.location };
}

describe.each(['fs', 's3'] as const)('the console over the %s store', (kind) => {
  let c: Awaited<ReturnType<typeof consoleOver>>;
  beforeAll(async () => {
    c = await consoleOver(kind);
  });

  it('shows a release and asks the gate function for the decision, recording nothing', async () => {
    const page = await (await c.get(`/releases/${c.release.id}`)).text();
    expect(page).toContain(c.release.digest);
    expect(page).toContain('c0ffee1');
    expect(page).toContain('id="read-at"');
    const decision = await c.get(`/releases/${c.release.id}/decision/production`);
    expect(decision.status).toBe(200);
    expect(await decision.text()).toContain('data-requirement="approvals"');
    expect(c.decisions).toEqual([`${c.release.id} production`]);
    expect(await c.ledger.decisions.list()).toEqual([]);
    expect(page).toContain(`shipgate --state ${c.location} approve production --service api --release ${c.release.id}`);
  });

  it('cannot write, whatever a page tried', async () => {
    await expect(c.ledger.audit.append({ actor: 'x', action: 'y' })).rejects.toThrow(/console to write nothing/);
  });

  it('answers an unknown release with 404 and the ledger’s words, and the audit page with the chain verdict', async () => {
    const missing = await c.get('/releases/rel-00000000');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('found none');
    const audit = await (await c.get('/audit')).text();
    expect(audit).toContain('Hash chain intact');
    expect(audit).toContain('release.create');
  });
});

describe.each(['fs', 's3'] as const)('live state over the %s store (#16)', (kind) => {
  it('shows a deployment in flight with the split its deploy reported, labelled unsigned', async () => {
    const c = await consoleOver(kind);
    const { deployment } = await c.writer.deployments.start(
      {
        id: 'dep-20261202T040000Z-inflight',
        releaseId: c.release.id,
        service: 'api',
        environment: 'production',
        digest,
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'ci',
        startedAt: new Date().toISOString(),
        outcome: 'in-progress',
      },
      'ci',
    );
    // What the deploy's progress recorder writes while it runs.
    await c.writer.deployments.update(
      deployment.id,
      {
        progress: {
          phase: 'shifting',
          status: 'InProgress',
          traffic: { blue: 70, green: 30 },
          reportedAt: '2026-12-02T04:00:09Z',
        },
      },
      'ci',
    );
    const board = (await (await c.get('/')).text()).replace(/\s+/g, ' ');
    expect(board).toContain(`data-deployment="${deployment.id}"`);
    expect(board).toContain('phase: shifting');
    expect(board).toContain('traffic 70% original / 30% replacement');
    expect(board).toContain('reported by the deploy in flight at 2026-12-02 04:00:09 UTC; unsigned until it finishes');
    const page = (await (await c.get(`/deployments/${deployment.id}`)).text()).replace(/\s+/g, ' ');
    expect(page).toContain('id="in-flight"');
    expect(page).toContain('traffic 70% original / 30% replacement');
  });

  it('answers the badge’s poll with the chain’s latest verdict, and walks again when it is old', async () => {
    const c = await consoleOver(kind, undefined, 0);
    const poll = async () => (await (await c.get('/audit/status.json')).json()) as { state: string; text: string };
    await expect
      .poll(poll, { timeout: 60_000, interval: 100 })
      .toMatchObject({ state: 'intact', text: 'audit chain intact: 1 entries' });
    await c.writer.audit.append({ actor: 'ci', action: 'test.entry' });
    await expect
      .poll(poll, { timeout: 60_000, interval: 100 })
      .toMatchObject({ text: 'audit chain intact: 2 entries' });
    const res = await c.get('/audit/status.json');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('an access token', () => {
  it('is required on every request; ?token= trades it for a cookie and leaves the address', async () => {
    const token = 'console-token-0123456789';
    const c = await consoleOver('fs', token);
    expect((await c.get('/')).status).toBe(401);
    expect((await c.get('/?token=wrong-token-0000000000')).status).toBe(401);
    const traded = await c.get(`/releases?token=${token}`);
    expect(traded.status).toBe(303);
    expect(traded.headers.get('location')).toBe('/releases');
    const cookie = traded.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await c.get('/', { cookie: cookie.split(';')[0]! })).status).toBe(200);
    expect((await c.get('/', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await c.get('/audit/status.json')).status).toBe(401);
  });
});
