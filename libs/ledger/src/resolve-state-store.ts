import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { ShipgateError } from '@shipgate/model';
import { FsStateStore } from './adapters/fs-state-store';
import type { S3StateStoreOptions } from './adapters/s3-state-store';
import type { StateStore } from './state-store';

/** How to get an S3 client when the location is `s3://…`; built by the caller (libs read no env). */
export interface StateStoreDeps {
  s3Client?: S3Client | (() => S3Client | Promise<S3Client>);
}

/**
 * The store for a location: `s3://bucket/prefix` → S3 (the SDK is loaded only then), anything
 * else (a path or file:// URL) → a directory.
 */
export async function resolveStateStore(location: string, deps: StateStoreDeps = {}): Promise<StateStore> {
  if (location.startsWith('s3://')) {
    if (!deps.s3Client)
      throw new ShipgateError('INTERNAL', `expected an S3 client for the state location ${location}, found none`, {
        hint: 'Pass deps.s3Client to resolveStateStore.',
      });
    const client = typeof deps.s3Client === 'function' ? await deps.s3Client() : deps.s3Client;
    return openS3StateStore(client, location);
  }
  if (location.startsWith('file://')) return new FsStateStore(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new ShipgateError(
      'USAGE',
      `expected the state location to be a directory or s3://bucket/prefix, found "${location}"`,
      { hint: 'Pass --state .shipgate or --state s3://my-bucket/shipgate.' },
    );
  }
  return new FsStateStore(resolve(location));
}

/** An S3 store for `s3://bucket/prefix`, loading the S3 adapter on demand. */
export async function openS3StateStore(
  client: S3Client,
  location: string,
  options: S3StateStoreOptions = {},
): Promise<StateStore> {
  const { S3StateStore, parseS3Location } = await import('./adapters/s3-state-store');
  const { bucket, prefix } = parseS3Location(location);
  return new S3StateStore(client, bucket, prefix, options);
}
