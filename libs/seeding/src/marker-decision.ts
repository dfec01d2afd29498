import type { EnvironmentMarker } from './environment-marker';
import { isProductionMarker } from './environment-marker';

/** What a seed run asks for, as far as the marker is concerned. */
export interface MarkerRequest {
  environment: string;
  /** Claim a database that carries no marker (`seed --init`). */
  init: boolean;
  /** Create the dataset's tables (`seed --migrate`): claims a schema that holds no table at all. */
  migrate: boolean;
  /** Empty the dataset's tables first. */
  reset: boolean;
}

/** The answer: go on (the marker is there), claim the database first, or refuse before any write. */
export type MarkerDecision =
  | { action: 'proceed'; marker: EnvironmentMarker }
  | { action: 'claim'; because: 'init' | 'empty-schema' }
  | {
      action: 'refuse';
      code: 'DATABASE_IS_PRODUCTION' | 'DATABASE_NOT_MARKED';
      /** Found, for the message: "marked synthetic for staging". */
      found: string;
      hint: string;
      marker?: EnvironmentMarker;
    };

const describe = (m: EnvironmentMarker): string => `environment "${m.environment}" with data policy "${m.dataPolicy}"`;

/**
 * The guard, pure: a database is seeded only when its marker says synthetic for this very environment, or when
 * it carries no marker and the run is told to claim it (`--init`, or `--migrate` into a schema with no table).
 * A production marker is never overridden, and `--reset` never empties a database that was not marked before
 * the run (unless there was nothing in it to empty).
 */
export function decideMarker(
  markers: readonly EnvironmentMarker[],
  request: MarkerRequest,
  schemaIsEmpty: boolean,
): MarkerDecision {
  const production = markers.find(isProductionMarker);
  if (production) {
    return {
      action: 'refuse',
      code: 'DATABASE_IS_PRODUCTION',
      found: `the database identifies itself as ${describe(production)}`,
      hint: "The connection settings point at a production database. Fix the environment's database URL; never remove the marker to get past this.",
      marker: production,
    };
  }
  const own = markers.filter((m) => m.environment === request.environment && m.dataPolicy === 'synthetic');
  if (own.length > 0 && own.length === markers.length)
    return { action: 'proceed', marker: own[0] as EnvironmentMarker };
  if (markers.length > 0) {
    return {
      action: 'refuse',
      code: 'DATABASE_NOT_MARKED',
      found: `the database is marked as ${markers.map(describe).join(' and ')}`,
      hint: `Point the run at ${request.environment}'s own database. To hand this database to ${request.environment} on purpose: shipgate data mark ${request.environment} --synthetic.`,
      marker: markers[0],
    };
  }
  if (schemaIsEmpty && (request.init || request.migrate))
    return { action: 'claim', because: request.init ? 'init' : 'empty-schema' };
  if (request.init && !request.reset) return { action: 'claim', because: 'init' };
  return {
    action: 'refuse',
    code: 'DATABASE_NOT_MARKED',
    found: schemaIsEmpty
      ? 'a database with no marker and no tables'
      : 'a database with tables but no marker (it may hold real data)',
    hint:
      request.init && request.reset
        ? '--reset never empties a database that was not marked synthetic before the run: run once with --init and without --reset, or mark it with shipgate data mark.'
        : `Claim it for ${request.environment} with --init (recorded in the audit log), or with --migrate when it is new and empty.`,
  };
}
