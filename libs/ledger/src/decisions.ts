import type { Decision } from '@shipgate/model';
import type { AuditLog } from './audit-log';
import { createWriteOnce, readAll, recordReference } from './record-io';
import type { StateStore } from './state-store';

/** Filters for decisions; every given filter must match. */
export interface DecisionFilter {
  releaseId?: string;
  environment?: string;
  outcome?: Decision['outcome'];
}

/** Gate decisions in the ledger: `decisions/<releaseId>/<id>.json`, write-once. */
export interface DecisionStore {
  /** Records a decision; the same record again is a no-op (`created: false`). */
  add(decision: Decision, actor: string): Promise<{ decision: Decision; created: boolean }>;
  /** Decisions matching the filter, oldest first. */
  list(filter?: DecisionFilter): Promise<Decision[]>;
}

/** The decision store over a state store, auditing every decision. */
export function decisionStore(store: StateStore, audit: AuditLog): DecisionStore {
  return {
    async add(decision, actor) {
      const key = `decisions/${decision.releaseId}/${decision.id}.json`;
      const { created, recordHash } = await createWriteOnce(store, key, decision, 'decision');
      await audit.append({
        actor,
        action: 'gate.decision',
        subject: { service: decision.service, environment: decision.environment, releaseId: decision.releaseId },
        details: {
          created,
          ...recordReference(key, recordHash),
          decisionId: decision.id,
          outcome: decision.outcome,
          digest: decision.digest,
          failed: decision.requirements.filter((r) => r.status !== 'pass').map((r) => r.id),
        },
      });
      return { decision, created };
    },

    async list(filter = {}) {
      const all = await readAll<Decision>(store, filter.releaseId ? `decisions/${filter.releaseId}/` : 'decisions/');
      return all
        .filter(
          (d) =>
            (filter.environment === undefined || d.environment === filter.environment) &&
            (filter.outcome === undefined || d.outcome === filter.outcome),
        )
        .sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt) || a.id.localeCompare(b.id));
    },
  };
}
