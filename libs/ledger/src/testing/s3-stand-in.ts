import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  deleteLocked,
  lockConfigurationXml,
  parseLockConfiguration,
  retentionForPut,
  retentionHeaders,
  type LockError,
  type ObjectLockState,
} from './s3-stand-in-object-lock';

/** A running S3 stand-in: its endpoint for `new S3Client({ endpoint, forcePathStyle: true })`. */
export interface S3StandIn {
  endpoint: string;
  /** Objects as stored, for tests that tamper with them. */
  objects(bucket: string): Map<string, StandInObject>;
  /** Object Lock state of a bucket created with it (versions behind delete markers), for tests. */
  objectLock(bucket: string): ObjectLockState | undefined;
  /** How many requests of each operation it answered. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

/** One stored object. */
export interface StandInObject {
  body: Buffer;
  etag: string;
  modified: Date;
  /** Set in an Object Lock bucket (which is versioned). */
  versionId?: string;
  retention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; until: Date };
}

/** Options for the stand-in. */
export interface S3StandInOptions {
  /** Keys per ListObjectsV2 page (S3's default is 1000); small values exercise continuation. */
  pageSize?: number;
  buckets?: string[];
  /** The stand-in's clock for retention (default: the system clock). */
  now?: () => Date;
}

/**
 * A small S3 over HTTP on 127.0.0.1, path-style, for tests: PutObject with `If-None-Match: *` and
 * `If-Match` (412 PreconditionFailed, as S3 does since 2024), GetObject/HeadObject with ETags,
 * ListObjectsV2 with continuation tokens, CreateBucket/HeadBucket. s3rver ignores conditional
 * headers on PutObject, which would make every concurrency test pass vacuously (see README).
 */
export async function startS3StandIn(options: S3StandInOptions = {}): Promise<S3StandIn> {
  const pageSize = options.pageSize ?? 1000;
  const buckets = new Map<string, Map<string, StandInObject>>();
  for (const b of options.buckets ?? []) buckets.set(b, new Map());
  const locks = new Map<string, ObjectLockState>();
  const now = options.now ?? (() => new Date());
  let versions = 0;
  const counts: Record<string, number> = {};
  const count = (op: string) => (counts[op] = (counts[op] ?? 0) + 1);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucket = buckets.get(bucketName);
    const lock = locks.get(bucketName);
    if (!key && url.searchParams.has('object-lock') && bucket) {
      if (req.method === 'GET') {
        count('GetObjectLockConfiguration');
        if (!lock)
          return fail(
            res,
            404,
            'ObjectLockConfigurationNotFoundError',
            'Object Lock configuration does not exist for this bucket',
          );
        return send(res, 200, lockConfigurationXml(lock), { 'content-type': 'application/xml' });
      }
      if (req.method === 'PUT') {
        count('PutObjectLockConfiguration');
        if (!lock)
          return fail(
            res,
            409,
            'InvalidBucketState',
            'Object Lock configuration cannot be enabled on existing buckets',
          );
        const rule = parseLockConfiguration(((await readBody(req)) ?? Buffer.alloc(0)).toString('utf8'));
        if (Array.isArray(rule)) return fail(res, ...rule);
        lock.rule = rule;
        return send(res, 200, '');
      }
    }
    if (!key) {
      if (req.method === 'PUT') {
        count('CreateBucket');
        if (!bucket) buckets.set(bucketName, new Map());
        if (req.headers['x-amz-bucket-object-lock-enabled'] === 'true' && !locks.has(bucketName))
          locks.set(bucketName, { noncurrent: new Map() });
        return send(res, 200, '');
      }
      if (!bucket) return fail(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', req.method === 'HEAD');
      if (req.method === 'HEAD') return (count('HeadBucket'), send(res, 200, ''));
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        count('ListObjectsV2');
        return send(res, 200, listXml(bucketName, bucket, url.searchParams, pageSize), {
          'content-type': 'application/xml',
        });
      }
      return fail(res, 405, 'MethodNotAllowed', `${req.method} on a bucket is not supported by the stand-in`);
    }
    if (!bucket) return fail(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', req.method === 'HEAD');
    if (req.method === 'PUT') {
      count('PutObject');
      const body = await readBody(req);
      if (body === undefined) return; // the client went away mid-body: store nothing, as S3 does
      const existing = bucket.get(key);
      const ifNoneMatch = req.headers['if-none-match'];
      const ifMatch = req.headers['if-match'];
      if (ifNoneMatch === '*' && existing)
        return fail(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      if (ifMatch !== undefined) {
        if (!existing) return fail(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        if (unquote(ifMatch) !== unquote(existing.etag))
          return fail(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      }
      const retention = retentionForPut(req.headers, lock, now());
      if (Array.isArray(retention)) return fail(res, ...(retention as LockError));
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      // An Object Lock bucket is versioned: an overwrite keeps the old version (and its retention).
      if (lock && existing) lock.noncurrent.set(key, [...(lock.noncurrent.get(key) ?? []), existing]);
      const versionId = lock ? `v${++versions}` : undefined;
      bucket.set(key, {
        body,
        etag,
        modified: new Date(),
        ...(versionId ? { versionId } : {}),
        ...(retention ? { retention } : {}),
      });
      return send(res, 200, '', { etag, ...(versionId ? { 'x-amz-version-id': versionId } : {}) });
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      count(req.method === 'GET' ? 'GetObject' : 'HeadObject');
      const object = bucket.get(key);
      if (!object) return fail(res, 404, 'NoSuchKey', 'The specified key does not exist.', req.method === 'HEAD');
      const headers = {
        etag: object.etag,
        'content-type': 'application/json',
        'last-modified': object.modified.toUTCString(),
        ...retentionHeaders(object),
      };
      return req.method === 'HEAD'
        ? send(res, 200, '', { ...headers, 'content-length': String(object.body.length) })
        : send(res, 200, object.body, headers);
    }
    if (req.method === 'DELETE') {
      count('DeleteObject');
      if (!lock) {
        bucket.delete(key);
        return send(res, 204, '');
      }
      const outcome = deleteLocked(bucket, lock, key, url.searchParams.get('versionId'), req.headers, now());
      if (Array.isArray(outcome)) return fail(res, ...outcome);
      return send(res, outcome.status, '', outcome.headers);
    }
    return fail(res, 405, 'MethodNotAllowed', `${req.method} on an object is not supported by the stand-in`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'InternalError', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects: (name) => {
      const b = buckets.get(name);
      if (!b) throw new Error(`no bucket ${name}`);
      return b;
    },
    objectLock: (name) => locks.get(name),
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listXml(
  bucket: string,
  objects: Map<string, StandInObject>,
  params: URLSearchParams,
  pageSize: number,
): string {
  const prefix = params.get('prefix') ?? '';
  const token = params.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64url').toString('utf8') : (params.get('start-after') ?? '');
  const maxKeys = Math.min(pageSize, Number(params.get('max-keys') ?? pageSize));
  const keys = [...objects.keys()]
    .filter((k) => k.startsWith(prefix) && k > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((k) => {
      const o = objects.get(k)!;
      return `<Contents><Key>${xml(k)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(page[page.length - 1]!).toString('base64url')}</NextContinuationToken>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : ''}${contents}${next}</ListBucketResult>`;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  const body = Buffer.concat(chunks);
  const declared = req.headers['content-length'];
  if (!req.complete || (declared !== undefined && Number(declared) !== body.length)) return undefined;
  return body;
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'x-amz-request-id': 'stand-in', ...headers });
  res.end(body);
}

function fail(res: ServerResponse, status: number, code: string, message: string, headOnly = false): void {
  const body = headOnly
    ? ''
    : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>stand-in</RequestId></Error>`;
  send(res, status, body, { 'content-type': 'application/xml' });
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
