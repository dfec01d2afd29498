import {
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ShipgateError, systemClock, type Clock } from '@shipgate/model';
import {
  assertReplaceableKey,
  assertValidKey,
  assertValidPrefix,
  type ListOptions,
  type StateStore,
  type StoredObject,
  type StoreProtection,
  isReplaceableKey,
} from '../state-store';

/** Options of the S3 store. */
export interface S3StateStoreOptions {
  /** For retain-until dates. */
  clock?: Clock;
  /**
   * On a bucket with Object Lock enabled but no default retention rule, each write-once object is locked
   * in GOVERNANCE mode for this many days (default 365). A default rule on the bucket wins: set one to
   * choose COMPLIANCE, which nobody (not even the account root) can shorten.
   */
  retentionDays?: number;
}

/** What the bucket's Object Lock configuration says. */
type LockStatus =
  { enabled: false; reason: string } | { enabled: true; rule?: { mode: string; days?: number; years?: number } };

/**
 * The ledger in an S3 bucket (`s3://bucket/prefix`). Atomicity comes from S3 conditional writes:
 * create-if-absent is `PutObject` with `If-None-Match: *`, replace-if-version is `PutObject` with
 * `If-Match: <ETag>`; S3 answers 412 when the condition fails (and 409 when two conditional writes
 * race, which means the same for us: someone else got there first).
 */
export class S3StateStore implements StateStore {
  readonly location: string;
  private readonly prefix: string;
  private lock: Promise<LockStatus> | undefined;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    prefix = '',
    private readonly options: S3StateStoreOptions = {},
  ) {
    this.prefix = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    this.location = `s3://${bucket}/${this.prefix}`;
  }

  /** The bucket's Object Lock configuration, read once (GetObjectLockConfiguration). */
  private lockStatus(): Promise<LockStatus> {
    return (this.lock ??= this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket })).then(
      (out): LockStatus => {
        const config = out.ObjectLockConfiguration;
        if (config?.ObjectLockEnabled !== 'Enabled') return { enabled: false, reason: 'not enabled' };
        const d = config.Rule?.DefaultRetention;
        return d?.Mode
          ? {
              enabled: true,
              rule: { mode: d.Mode, ...(d.Days ? { days: d.Days } : {}), ...(d.Years ? { years: d.Years } : {}) },
            }
          : { enabled: true };
      },
      (error: unknown): LockStatus => {
        if (nameOf(error) === 'ObjectLockConfigurationNotFoundError') return { enabled: false, reason: 'not enabled' };
        // Without s3:GetBucketObjectLockConfiguration the store still works; audit verify says why it cannot tell.
        return { enabled: false, reason: `unknown (${nameOf(error) ?? 'error'} reading the configuration)` };
      },
    ));
  }

  async protection(): Promise<StoreProtection> {
    const lock = await this.lockStatus();
    if (!lock.enabled)
      return {
        kind: 'none',
        description: `S3 Object Lock on bucket ${this.bucket}: ${lock.reason}; whoever may s3:DeleteObject can delete entries (checkpoints detect it)`,
      };
    const r = lock.rule;
    return {
      kind: 'object-lock',
      description: r
        ? `S3 Object Lock on bucket ${this.bucket}: default retention ${r.mode} for ${r.days ? `${r.days} days` : `${r.years} years`}`
        : `S3 Object Lock on bucket ${this.bucket}, no default rule: shipgate locks each write-once object GOVERNANCE for ${this.retentionDays} days`,
    };
  }

  private get retentionDays(): number {
    return this.options.retentionDays ?? 365;
  }

  /** Object Lock parameters for a new write-once object: only when the bucket has Object Lock and no rule of its own. */
  private async retention(key: string): Promise<{ ObjectLockMode?: 'GOVERNANCE'; ObjectLockRetainUntilDate?: Date }> {
    if (isReplaceableKey(key)) return {};
    const lock = await this.lockStatus();
    if (!lock.enabled || lock.rule) return {};
    const now = (this.options.clock ?? systemClock).now().getTime();
    return { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(now + this.retentionDays * 86_400_000) };
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      const body = (await out.Body?.transformToString('utf8')) ?? '';
      if (!out.ETag)
        throw new ShipgateError(
          'STATE_UNREACHABLE',
          `expected an ETag on s3://${this.bucket}/${this.prefix}${key}, found none`,
          { hint: 'The bucket must be S3 or an S3-compatible store that returns ETags.' },
        );
      return { body, version: out.ETag };
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey' || statusOf(error) === 404) return undefined;
      throw this.unreachable('read', key, error);
    }
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    assertValidKey(key);
    try {
      await this.put(key, body, { IfNoneMatch: '*', ...(await this.retention(key)) });
      return 'created';
    } catch (error) {
      if (isPreconditionFailure(error)) return 'exists';
      throw this.unreachable('write', key, error);
    }
  }

  async replaceIfVersion(key: string, body: string, version: string): Promise<'replaced' | 'conflict'> {
    assertReplaceableKey(key);
    assertValidKey(key);
    try {
      await this.put(key, body, { IfMatch: version });
      return 'replaced';
    } catch (error) {
      // 404: If-Match on an object that is not there; the caller's version is stale either way.
      if (isPreconditionFailure(error) || nameOf(error) === 'NoSuchKey' || statusOf(error) === 404) return 'conflict';
      throw this.unreachable('write', key, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<string[]> {
    assertValidPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ...(token
              ? { ContinuationToken: token }
              : options.startAfter !== undefined
                ? { StartAfter: this.prefix + options.startAfter }
                : {}),
          }),
        );
        for (const object of out.Contents ?? []) {
          if (object.Key) keys.push(object.Key.slice(this.prefix.length));
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.unreachable('list', prefix, error);
    }
    return keys;
  }

  private async put(
    key: string,
    body: string,
    condition: {
      IfNoneMatch?: string;
      IfMatch?: string;
      ObjectLockMode?: 'GOVERNANCE';
      ObjectLockRetainUntilDate?: Date;
    },
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: body,
        ContentType: 'application/json',
        ...condition,
      }),
    );
  }

  private unreachable(what: string, key: string, error: unknown): unknown {
    if (error instanceof ShipgateError) return error;
    const name = nameOf(error) ?? 'Error';
    return new ShipgateError(
      'STATE_UNREACHABLE',
      `could not ${what} ${this.location}${key}: ${name}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint:
          name === 'NoSuchBucket'
            ? `Create the bucket ${this.bucket} first, or point --state elsewhere.`
            : 'Check the bucket name, the region and the credentials (the role needs s3:GetObject, s3:PutObject and s3:ListBucket; with Object Lock also s3:PutObjectRetention and s3:GetBucketObjectLockConfiguration).',
        cause: error,
      },
    );
  }
}

/** Splits `s3://bucket/some/prefix` into bucket and key prefix. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(location);
  if (!match) {
    throw new ShipgateError('USAGE', `expected an S3 location like s3://bucket/prefix, found "${location}"`, {
      hint: 'Bucket names are 3 to 63 lower-case letters, digits, dots and hyphens.',
    });
  }
  return { bucket: match[1]!, prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

function isPreconditionFailure(error: unknown): boolean {
  const name = nameOf(error);
  return (
    name === 'PreconditionFailed' ||
    name === 'ConditionalRequestConflict' ||
    statusOf(error) === 412 ||
    statusOf(error) === 409
  );
}

function nameOf(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : undefined;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
