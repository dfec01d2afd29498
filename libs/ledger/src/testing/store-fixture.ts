import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { FsStateStore } from '../adapters/fs-state-store';
import { openS3StateStore } from '../resolve-state-store';
import type { StateStore } from '../state-store';
import { startS3StandIn, type S3StandIn } from './s3-stand-in';

/** The two real backends, for suites that must hold on both. */
export type StoreKind = 'fs' | 's3';

/** A fresh, empty store of one kind, with raw access for tampering and a way to reach it from a child process. */
export interface StoreFixture {
  kind: StoreKind;
  /** `--state` value: a directory or `s3://bucket/prefix`. */
  location: string;
  store: StateStore;
  /** Another, independent handle on the same store (as a second process would have). */
  reopen(): Promise<StateStore>;
  /** S3 only: the stand-in's endpoint, for tests that speak to the bucket directly. */
  endpoint?: string;
  /** S3 only: the stand-in itself (its objects, Object Lock state). */
  standIn?: S3StandIn;
  /** Environment for a child process: `SHIPGATE_TEST_S3_ENDPOINT` for S3. */
  env: Record<string, string>;
  /** Bypasses the store: read, overwrite or delete the bytes behind a key. */
  raw: {
    read(key: string): Promise<string | undefined>;
    write(key: string, body: string): Promise<void>;
    remove(key: string): Promise<void>;
  };
  close(): Promise<void>;
}

/** A test S3 client for an endpoint (path-style, dummy credentials). */
export function testS3Client(
  endpoint: string,
  credentials = { accessKeyId: 'test', secretAccessKey: 'test' },
): S3Client {
  return new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials, maxAttempts: 3 });
}

/** Creates a fresh store of the given kind. */
export async function createStoreFixture(
  kind: StoreKind,
  options: { pageSize?: number; /** S3 only: create the bucket with Object Lock enabled. */ objectLock?: boolean } = {},
): Promise<StoreFixture> {
  if (kind === 'fs') {
    const root = await mkdtemp(join(tmpdir(), 'shipgate-ledger-'));
    const path = (key: string) => join(root, ...key.split('/'));
    return {
      kind,
      location: root,
      store: new FsStateStore(root),
      reopen: async () => new FsStateStore(root),
      env: {},
      raw: {
        read: (key) => readFile(path(key), 'utf8').catch(() => undefined),
        write: (key, body) => writeFile(path(key), body),
        remove: (key) => unlink(path(key)),
      },
      close: () => rm(root, { recursive: true, force: true }),
    };
  }
  const standIn = await startS3StandIn({ pageSize: options.pageSize ?? 100 });
  const clients: S3Client[] = [];
  const client = () => {
    const c = testS3Client(standIn.endpoint);
    clients.push(c);
    return c;
  };
  await client().send(
    new CreateBucketCommand({ Bucket: 'ledger', ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }),
  );
  const location = 's3://ledger/state';
  const objects = () => standIn.objects('ledger');
  return {
    kind,
    location,
    store: await openS3StateStore(client(), location),
    reopen: () => openS3StateStore(client(), location),
    endpoint: standIn.endpoint,
    standIn,
    env: { SHIPGATE_TEST_S3_ENDPOINT: standIn.endpoint },
    raw: {
      read: async (key) => objects().get(`state/${key}`)?.body.toString('utf8'),
      write: async (key, body) => {
        objects().set(`state/${key}`, {
          body: Buffer.from(body),
          etag: `"tampered-${body.length}"`,
          modified: new Date(),
        });
      },
      remove: async (key) => void objects().delete(`state/${key}`),
    },
    close: async () => {
      for (const c of clients) c.destroy();
      await standIn.close();
    },
  };
}
