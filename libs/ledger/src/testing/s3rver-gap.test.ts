import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3StandIn, type S3StandIn } from './s3-stand-in';
import { testS3Client } from './store-fixture';

/**
 * Why the ledger's S3 tests run against our stand-in and not s3rver: s3rver 3.7 ignores
 * `If-None-Match`/`If-Match` on PutObject, so a second create silently overwrites the first and every
 * race test would pass without testing anything. If this starts failing, s3rver learned conditional
 * writes and the suites can use it (see README).
 */
describe('conditional PutObject: s3rver versus the stand-in', () => {
  let dir: string;
  let s3rver: S3rver;
  let s3rverEndpoint: string;
  let standIn: S3StandIn;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shipgate-s3rver-'));
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'ledger' }],
    });
    const { port } = await s3rver.run();
    s3rverEndpoint = `http://127.0.0.1:${port}`;
    standIn = await startS3StandIn({ buckets: ['ledger'] });
  });
  afterAll(async () => {
    await s3rver.close();
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function createTwice(endpoint: string): Promise<{ second: string; stored: string | undefined }> {
    // s3rver checks signatures against its built-in S3RVER/S3RVER key.
    const client = testS3Client(endpoint, { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    try {
      await client.send(new PutObjectCommand({ Bucket: 'ledger', Key: 'k.json', Body: 'first', IfNoneMatch: '*' }));
      const second = await client
        .send(new PutObjectCommand({ Bucket: 'ledger', Key: 'k.json', Body: 'second', IfNoneMatch: '*' }))
        .then(
          () => 'accepted',
          (error: { name?: string }) => `refused: ${error.name}`,
        );
      const stored = await (
        await client.send(new GetObjectCommand({ Bucket: 'ledger', Key: 'k.json' }))
      ).Body?.transformToString();
      return { second, stored };
    } finally {
      client.destroy();
    }
  }

  it('s3rver accepts a create-if-absent over an existing object and overwrites it', async () => {
    expect(await createTwice(s3rverEndpoint)).toEqual({ second: 'accepted', stored: 'second' });
  });

  it('the stand-in refuses it with 412 PreconditionFailed, as S3 does', async () => {
    expect(await createTwice(standIn.endpoint)).toEqual({ second: 'refused: PreconditionFailed', stored: 'first' });
  });
});
