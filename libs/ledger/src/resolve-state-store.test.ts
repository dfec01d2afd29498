import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsStateStore } from './adapters/fs-state-store';
import { resolveStateStore } from './resolve-state-store';
import { startS3StandIn, type S3StandIn } from './testing/s3-stand-in';
import { testS3Client } from './testing/store-fixture';

describe('resolveStateStore', () => {
  let dir: string;
  let s3: S3StandIn;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shipgate-resolve-'));
    s3 = await startS3StandIn({ buckets: ['team-ledger'] });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await s3.close();
  });

  it('opens a directory for a path or file:// URL', async () => {
    expect(await resolveStateStore(dir)).toBeInstanceOf(FsStateStore);
    expect((await resolveStateStore(pathToFileURL(dir).href)).location).toBe(dir);
  });

  it('opens s3://bucket/prefix with the client the caller builds', async () => {
    const client = testS3Client(s3.endpoint);
    const store = await resolveStateStore('s3://team-ledger/shipgate/prod/', { s3Client: async () => client });
    expect(store.location).toBe('s3://team-ledger/shipgate/prod/');
    expect(await store.createIfAbsent('releases/rel-1.json', '{}')).toBe('created');
    expect([...s3.objects('team-ledger').keys()]).toEqual(['shipgate/prod/releases/rel-1.json']);
    client.destroy();
  });

  it('says what is wrong with a location it cannot use', async () => {
    await expect(resolveStateStore('s3://ledger/x')).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(resolveStateStore('s3://A_Bucket/x', { s3Client: testS3Client(s3.endpoint) })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(resolveStateStore('gs://bucket/x')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('reports a missing bucket as STATE_UNREACHABLE with a hint', async () => {
    const client = testS3Client(s3.endpoint);
    const store = await resolveStateStore('s3://no-such-bucket', { s3Client: client });
    await expect(store.list('audit/')).rejects.toMatchObject({
      code: 'STATE_UNREACHABLE',
      hint: expect.stringContaining('Create the bucket no-such-bucket'),
    });
    client.destroy();
  });
});
