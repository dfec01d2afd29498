// S3 Object Lock for the stand-in, as S3 speaks it: a bucket created with
// `x-amz-bucket-object-lock-enabled: true` (which also turns versioning on), its configuration through
// GET/PUT `?object-lock`, PutObject's `x-amz-object-lock-mode` / `-retain-until-date` (refused on a bucket
// without Object Lock, and without a Content-MD5 or checksum header), retention reported by GetObject and
// HeadObject, and DeleteObject: without a version id a delete marker (the version stays), with the id of
// a retained version 403 AccessDenied.
import type { IncomingHttpHeaders } from 'node:http';
import type { StandInObject } from './s3-stand-in';

/** A bucket's Object Lock state. */
export interface ObjectLockState {
  rule?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number };
  /** Versions hidden behind a delete marker or replaced by a newer version, by key. */
  noncurrent: Map<string, StandInObject[]>;
}

/** An S3 error to send: status, code, message. */
export type LockError = [number, string, string];

/** The GetObjectLockConfiguration body. */
export function lockConfigurationXml(state: ObjectLockState): string {
  const rule = state.rule
    ? `<Rule><DefaultRetention><Mode>${state.rule.mode}</Mode>${state.rule.days ? `<Days>${state.rule.days}</Days>` : `<Years>${state.rule.years}</Years>`}</DefaultRetention></Rule>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
}

/** Reads a PutObjectLockConfiguration body into the rule it sets. */
export function parseLockConfiguration(body: string): ObjectLockState['rule'] | LockError {
  if (!/<ObjectLockEnabled>Enabled<\/ObjectLockEnabled>/.test(body))
    return [
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    ];
  const mode = /<Mode>(GOVERNANCE|COMPLIANCE)<\/Mode>/.exec(body)?.[1] as 'GOVERNANCE' | 'COMPLIANCE' | undefined;
  const days = Number(/<Days>(\d+)<\/Days>/.exec(body)?.[1] ?? 0);
  const years = Number(/<Years>(\d+)<\/Years>/.exec(body)?.[1] ?? 0);
  if (!mode) return undefined;
  if (!days === !years) return [400, 'MalformedXML', 'DefaultRetention needs exactly one of Days or Years'];
  return { mode, ...(days ? { days } : { years }) };
}

/** The retention a PutObject asks for (or the bucket's default), or why it is refused. */
export function retentionForPut(
  headers: IncomingHttpHeaders,
  lock: ObjectLockState | undefined,
  now: Date,
): StandInObject['retention'] | LockError {
  const mode = headers['x-amz-object-lock-mode'];
  const until = headers['x-amz-object-lock-retain-until-date'];
  if (mode === undefined && until === undefined) {
    if (!lock?.rule) return undefined;
    const days = lock.rule.days ?? (lock.rule.years ?? 0) * 365;
    return { mode: lock.rule.mode, until: new Date(now.getTime() + days * 86_400_000) };
  }
  if (!lock) return [400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration'];
  if (mode === undefined || until === undefined)
    return [
      400,
      'InvalidArgument',
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    ];
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') return [400, 'InvalidArgument', 'Unknown wormMode directive.'];
  const hasChecksum =
    headers['content-md5'] !== undefined ||
    Object.keys(headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm');
  if (!hasChecksum)
    return [
      400,
      'InvalidRequest',
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    ];
  const date = new Date(String(until));
  if (Number.isNaN(date.getTime()) || date <= now)
    return [400, 'InvalidArgument', 'The retain until date must be in the future!'];
  return { mode, until: date };
}

/** Headers GetObject and HeadObject add for an object under retention. */
export function retentionHeaders(object: StandInObject): Record<string, string> {
  return {
    ...(object.versionId ? { 'x-amz-version-id': object.versionId } : {}),
    ...(object.retention
      ? {
          'x-amz-object-lock-mode': object.retention.mode,
          'x-amz-object-lock-retain-until-date': object.retention.until.toISOString(),
        }
      : {}),
  };
}

/**
 * DeleteObject on an Object Lock bucket. Without a version id the current version goes behind a
 * delete marker (it stays, retained); with one, a version under retention is refused (GOVERNANCE
 * yields to `x-amz-bypass-governance-retention: true`, COMPLIANCE to nobody).
 */
export function deleteLocked(
  objects: Map<string, StandInObject>,
  lock: ObjectLockState,
  key: string,
  versionId: string | null,
  headers: IncomingHttpHeaders,
  now: Date,
): { status: 204; headers: Record<string, string> } | LockError {
  const current = objects.get(key);
  const hidden = lock.noncurrent.get(key) ?? [];
  if (versionId === null) {
    if (current) {
      lock.noncurrent.set(key, [...hidden, current]);
      objects.delete(key);
    }
    return { status: 204, headers: { 'x-amz-delete-marker': 'true' } };
  }
  const version = current?.versionId === versionId ? current : hidden.find((v) => v.versionId === versionId);
  if (!version) return { status: 204, headers: {} };
  const bypass = headers['x-amz-bypass-governance-retention'] === 'true';
  if (version.retention && version.retention.until > now && (version.retention.mode === 'COMPLIANCE' || !bypass))
    return [403, 'AccessDenied', 'Access Denied because object protected by object lock.'];
  if (version === current) objects.delete(key);
  else
    lock.noncurrent.set(
      key,
      hidden.filter((v) => v !== version),
    );
  return { status: 204, headers: { 'x-amz-version-id': versionId } };
}
