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

async function consoleOver(kind: 'fs' | 's3', token?: string) {
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
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.fetch(new Request(`http://127.0.0.1:${port}${path}`, { headers: { host: `127.0.0.1:${port}`, ...headers } }));
  return { app, get, release, ledger, decisions, location: f.location };
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
  });
});
