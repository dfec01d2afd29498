import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMany } from '../state-store';
import { createStoreFixture, type StoreFixture } from '../testing/store-fixture';

describe.each(['fs', 's3'] as const)('StateStore contract (%s)', (kind) => {
  let fx: StoreFixture;
  beforeEach(async () => {
    fx = await createStoreFixture(kind, { pageSize: 7 });
  });
  afterEach(async () => fx.close());

  it('creates only when absent and never overwrites', async () => {
    expect(await fx.store.get('a/x.json')).toBeUndefined();
    expect(await fx.store.createIfAbsent('a/x.json', 'one')).toBe('created');
    expect(await fx.store.createIfAbsent('a/x.json', 'two')).toBe('exists');
    expect((await fx.store.get('a/x.json'))?.body).toBe('one');
  });

  it('replaces only at the current version', async () => {
    await fx.store.createIfAbsent('deployments/1.json', 'v1');
    const v1 = (await fx.store.get('deployments/1.json'))!.version;
    expect(await fx.store.replaceIfVersion('deployments/1.json', 'v2', v1)).toBe('replaced');
    const v2 = await fx.store.get('deployments/1.json');
    expect(v2?.body).toBe('v2');
    expect(v2?.version).not.toBe(v1);
    expect(await fx.store.replaceIfVersion('deployments/1.json', 'stale', v1)).toBe('conflict');
    expect(await fx.store.replaceIfVersion('deployments/1.json', 'v3', v2!.version)).toBe('replaced');
    expect((await fx.store.get('deployments/1.json'))?.body).toBe('v3');
    expect(await fx.store.replaceIfVersion('deployments/absent.json', 'x', v1)).toBe('conflict');
  });

  it('lets exactly one of 20 racing creates win', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => (await fx.reopen()).createIfAbsent('race/k.json', `w${i}`)),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    const winner = results.indexOf('created');
    expect((await fx.store.get('race/k.json'))?.body).toBe(`w${winner}`);
  });

  it('lets exactly one of 20 racing replaces of the same version win', async () => {
    await fx.store.createIfAbsent('deployments/race.json', 'base');
    const { version } = (await fx.store.get('deployments/race.json'))!;
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        (await fx.reopen()).replaceIfVersion('deployments/race.json', `w${i}`, version),
      ),
    );
    expect(results.filter((r) => r === 'replaced')).toHaveLength(1);
    expect((await fx.store.get('deployments/race.json'))?.body).toBe(`w${results.indexOf('replaced')}`);
  });

  it('lists keys under a prefix in order, across pages, and after a key', async () => {
    const keys = Array.from({ length: 23 }, (_, i) => `audit/${String(i + 1).padStart(12, '0')}.json`);
    for (const k of [...keys].reverse()) await fx.store.createIfAbsent(k, '{}');
    await fx.store.createIfAbsent('evidence/rel-1/e1.json', '{}');
    await fx.store.createIfAbsent('evidence/rel-2/e2.json', '{}');
    expect(await fx.store.list('audit/')).toEqual(keys);
    expect(await fx.store.list('audit/', { startAfter: keys[19] })).toEqual(keys.slice(20));
    expect(await fx.store.list('evidence/')).toEqual(['evidence/rel-1/e1.json', 'evidence/rel-2/e2.json']);
    expect(await fx.store.list('evidence/rel-2/')).toEqual(['evidence/rel-2/e2.json']);
    expect(await fx.store.list('releases/')).toEqual([]);
  });

  it('refuses to replace a write-once record', async () => {
    await fx.store.createIfAbsent('evidence/rel-1/e1.json', 'one');
    const { version } = (await fx.store.get('evidence/rel-1/e1.json'))!;
    await expect(fx.store.replaceIfVersion('evidence/rel-1/e1.json', 'two', version)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('found write-once evidence/rel-1/e1.json'),
    });
    expect((await fx.store.get('evidence/rel-1/e1.json'))?.body).toBe('one');
  });

  it('reads many keys in bulk exactly as one get each reads them (replaced, write-once, absent, top-level)', async () => {
    await fx.store.createIfAbsent('deployments/a.json', 'a1');
    await fx.store.replaceIfVersion('deployments/a.json', 'a2', (await fx.store.get('deployments/a.json'))!.version);
    await fx.store.createIfAbsent('deployments/b.json', 'b1');
    await fx.store.createIfAbsent('evidence/rel-1/e1.json', 'e1');
    await fx.store.createIfAbsent('top.json', 't');
    const keys = [
      'deployments/a.json',
      'deployments/missing.json',
      'evidence/rel-1/e1.json',
      'deployments/b.json',
      'top.json',
    ];
    const one = await Promise.all(keys.map((k) => fx.store.get(k)));
    expect(await readMany(fx.store, keys)).toEqual(one);
    expect(one.map((o) => o?.body)).toEqual(['a2', undefined, 'e1', 'b1', 't']);
    // Without the store's bulk read, the same answer from one get per key.
    expect(await readMany({ ...fx.store, get: (k) => fx.store.get(k), getMany: undefined }, keys)).toEqual(one);
    await expect(readMany(fx.store, ['a/../../x'])).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses keys that could escape the store', async () => {
    for (const bad of ['../x.json', 'a/../../x', '/abs', 'a//b', '.hidden', 'a/.b']) {
      await expect(fx.store.get(bad)).rejects.toMatchObject({ code: 'INTERNAL' });
    }
  });
});

describe('FsStateStore on disk', () => {
  let fx: StoreFixture;
  beforeEach(async () => {
    fx = await createStoreFixture('fs');
  });
  afterEach(async () => fx.close());

  it('keeps version 1 as a readable file and each replacement as hidden history; leaves no temp files', async () => {
    await fx.store.createIfAbsent('deployments/d.json', '{"v":1}');
    for (let v = 2; v <= 4; v++)
      await fx.store.replaceIfVersion(
        'deployments/d.json',
        `{"v":${v}}`,
        (await fx.store.get('deployments/d.json'))!.version,
      );
    const dir = join(fx.location, 'deployments');
    expect((await readdir(dir)).sort()).toEqual(['.d.json.versions', 'd.json']);
    expect(await readdir(join(dir, '.d.json.versions'))).toEqual(['000000000002', '000000000003', '000000000004']);
    expect(await fx.raw.read('deployments/d.json')).toBe('{"v":1}');
    expect((await fx.store.get('deployments/d.json'))?.body).toBe('{"v":4}');
  });

  it('never returns a hidden version file beside a write-once record, and reports it as stray', async () => {
    await fx.store.createIfAbsent('evidence/rel-1/e1.json', '{"honest":true}');
    await mkdir(join(fx.location, 'evidence', 'rel-1', '.e1.json.versions'));
    const forged = join(fx.location, 'evidence', 'rel-1', '.e1.json.versions', '000000000002');
    await writeFile(forged, '{"forged":true}');
    expect((await fx.store.get('evidence/rel-1/e1.json'))?.body).toBe('{"honest":true}');
    expect((await readMany(fx.store, ['evidence/rel-1/e1.json']))[0]?.body).toBe('{"honest":true}');
    expect(await fx.store.strayObjects!()).toEqual([
      { key: 'evidence/rel-1/e1.json', where: forged, problem: expect.stringContaining('hidden version file') },
    ]);
    // Deployment history is the store's own: not stray.
    await fx.store.createIfAbsent('deployments/d.json', '1');
    await fx.store.replaceIfVersion('deployments/d.json', '2', '1');
    expect(await fx.store.strayObjects!()).toHaveLength(1);
  });

  it('does not list temp files a killed writer left behind', async () => {
    await fx.store.createIfAbsent('audit/000000000001.json', '{}');
    await writeFile(join(fx.location, 'audit', '.000000000002.json.1234.tmp'), '{"torn');
    expect(await fx.store.list('audit/')).toEqual(['audit/000000000001.json']);
    expect(await fx.store.get('audit/000000000002.json')).toBeUndefined();
  });
});
