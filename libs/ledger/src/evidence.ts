import { canonicalJson, ShipgateError, type Evidence, type EvidenceKind } from '@shipgate/model';
import type { AuditLog } from './audit-log';
import { createOrRead, readAll } from './record-io';
import type { StateStore } from './state-store';

/** Filters for evidence; every given filter must match. */
export interface EvidenceFilter {
  releaseId?: string;
  digest?: string;
  environment?: string;
  kind?: EvidenceKind;
}

/** Evidence in the ledger: `evidence/<releaseId>/<id>.json`, write-once. */
export interface EvidenceStore {
  /** Records evidence; the same record again is a no-op (`created: false`). */
  add(evidence: Evidence, actor: string): Promise<{ evidence: Evidence; created: boolean }>;
  /** Evidence matching the filter, oldest first. */
  list(filter?: EvidenceFilter): Promise<Evidence[]>;
}

/** The evidence store over a state store, auditing every addition. */
export function evidenceStore(store: StateStore, audit: AuditLog): EvidenceStore {
  return {
    async add(evidence, actor) {
      const key = `evidence/${evidence.releaseId}/${evidence.id}.json`;
      const outcome = await createOrRead(store, key, evidence);
      if (!outcome.created && canonicalJson(outcome.existing) !== canonicalJson(evidence)) {
        throw new ShipgateError(
          'INTERNAL',
          `expected evidence id ${evidence.id} to be new or identical, found a different record already stored under it`,
          { hint: 'Give each piece of evidence a fresh id (newRecordId).', location: { file: key } },
        );
      }
      await audit.append({
        actor,
        action: 'evidence.add',
        subject: { service: evidence.service, environment: evidence.environment, releaseId: evidence.releaseId },
        details: {
          created: outcome.created,
          evidenceId: evidence.id,
          kind: evidence.kind,
          digest: evidence.digest,
          contentHash: evidence.contentHash,
          ...(evidence.sourceHash ? { sourceHash: evidence.sourceHash } : {}),
          where: evidence.origin.where,
        },
      });
      return { evidence, created: outcome.created };
    },

    async list(filter = {}) {
      const all = await readAll<Evidence>(store, filter.releaseId ? `evidence/${filter.releaseId}/` : 'evidence/');
      return all
        .filter(
          (e) =>
            (filter.digest === undefined || e.digest === filter.digest) &&
            (filter.environment === undefined || e.environment === filter.environment) &&
            (filter.kind === undefined || e.kind === filter.kind),
        )
        .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id));
    },
  };
}
