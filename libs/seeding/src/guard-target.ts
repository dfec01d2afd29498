import { ShipgateError } from '@shipgate/model';
import { tablesIn } from './catalog';
import { MARKER_TABLE, readEnvironmentMarkers } from './environment-marker';
import type { MarkerDecision, MarkerRequest } from './marker-decision';
import { decideMarker } from './marker-decision';
import type { SeedSession } from './seed-target';

/** Who asks, for the refusal's audit record. */
export interface GuardContext {
  dataset: string;
  dataPolicy: string;
  label: string;
  schema?: string;
}

/**
 * Reads the marker and the schema's tables (nothing else, nothing written) and applies decideMarker: returns
 * proceed or claim, or throws DATABASE_IS_PRODUCTION / DATABASE_NOT_MARKED with the refusal for the audit log.
 */
export async function guardTarget(
  session: SeedSession,
  request: MarkerRequest,
  context: GuardContext,
): Promise<Exclude<MarkerDecision, { action: 'refuse' }>> {
  const markers = await readEnvironmentMarkers(session, context.schema);
  const tables = await tablesIn(session, context.schema);
  const decision = decideMarker(markers, request, tables.length === 0);
  if (decision.action !== 'refuse') return decision;
  throw new ShipgateError(
    decision.code,
    `refusing to seed ${context.label}: expected a database marked synthetic for environment "${request.environment}", found ${decision.found} (table ${MARKER_TABLE})`,
    {
      hint: decision.hint,
      details: {
        refusal: {
          reason: decision.code,
          environment: request.environment,
          dataPolicy: context.dataPolicy,
          dataset: context.dataset,
          target: context.label,
          ...(decision.marker ? { marker: decision.marker } : {}),
          requested: { init: request.init, migrate: request.migrate, reset: request.reset },
          connectionOpened: true,
          rowsWritten: 0,
          rowsDeleted: 0,
        },
      },
    },
  );
}
