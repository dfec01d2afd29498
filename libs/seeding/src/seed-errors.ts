import { ShipgateError, isShipgateError } from '@shipgate/model';
import { describeTarget } from './describe-target';
import { scrubSecret } from './parse-database-url';
import type { SeedTargetSpec } from './seed-target';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * Turns a driver error into a ShipgateError with a code; never lets a password through. SQLSTATE classes
 * 22 (data), 23 (constraint) and 42 (syntax, undefined object) mean the dataset does not fit the schema.
 */
export function toSeedError(error: unknown, spec: SeedTargetSpec): ShipgateError {
  const scrub = (text: string): string => (spec.kind === 'pglite' ? text : scrubSecret(text, spec.url));
  if (isShipgateError(error)) {
    const message = scrub(error.message);
    if (message === error.message) return error;
    return new ShipgateError(error.code, message, {
      hint: error.hint,
      location: error.location,
      details: error.details,
      problems: error.problems,
    });
  }
  const e = error as { message?: string; code?: string; sqlState?: string; detail?: string };
  const message = scrub(String(e?.message ?? error));
  // pg puts the SQLSTATE in `code`; mysql2 in `sqlState` (its `code` is a name such as ER_DUP_ENTRY).
  const sqlstate =
    typeof e?.sqlState === 'string'
      ? e.sqlState
      : typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)
        ? e.code
        : undefined;
  if (sqlstate && ['22', '23', '42'].includes(sqlstate.slice(0, 2))) {
    return new ShipgateError(
      'DATASET_INVALID',
      `the generated rows do not fit the database schema: ${message} (SQLSTATE ${sqlstate})${e.detail ? `: ${scrub(e.detail)}` : ''}`,
      {
        hint: 'Check that the column types and order in the dataset match the schema SQL. Nothing was written (the run was rolled back).',
        details: { sqlstate },
      },
    );
  }
  const target = describeTarget(spec);
  if (
    sqlstate?.startsWith('08') ||
    sqlstate?.startsWith('57') ||
    (e?.code && CONNECTION_CODES.has(e.code)) ||
    /terminat|connection/i.test(message)
  ) {
    return new ShipgateError('DATABASE_UNREACHABLE', `lost the database ${target} while seeding: ${message}`, {
      hint: 'The transaction was not committed, so nothing was written. Check the server and run the command again.',
    });
  }
  return new ShipgateError(
    'INTERNAL',
    `seeding ${target} failed: ${message}${sqlstate ? ` (SQLSTATE ${sqlstate})` : ''}`,
    { cause: error },
  );
}
