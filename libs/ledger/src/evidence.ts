import type { Evidence, EvidenceKind } from '@shipgate/model';
import type { AuditLog } from './audit-log';
import { createWriteOnce, readAll, recordReference } from './record-io';
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
      const { created, recordHash } = await createWriteOnce(store, key, evidence, 'piece of evidence');
      await audit.append({
        actor,
        action: 'evidence.add',
        subject: { service: evidence.service, environment: evidence.environment, releaseId: evidence.releaseId },
        details: {
          created,
          ...recordReference(key, recordHash),
          evidenceId: evidence.id,
          kind: evidence.kind,
          digest: evidence.digest,
          contentHash: evidence.contentHash,
          ...(evidence.sourceHash ? { sourceHash: evidence.sourceHash } : {}),
          where: evidence.origin.where,
        },
      });
      return { evidence, created };
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
