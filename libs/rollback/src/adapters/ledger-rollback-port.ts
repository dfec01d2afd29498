import type { Ledger } from '@shipgate/ledger';
import { newRecordId } from '@shipgate/ledger';
import { isShipgateError, type Clock, type Random } from '@shipgate/model';
import type { RollbackLedgerPort } from '../ports';

/** The rollback's view of the shipgate ledger; `actor` signs the ledger's own start/update audit entries. */
export function ledgerRollbackPort(
  ledger: Ledger,
  deps: { clock: Clock; random: Random; actor: string },
): RollbackLedgerPort {
  return {
    deployments: (service, environment) => ledger.deployments.list({ service, environment }),
    async release(id) {
      try {
        return await ledger.releases.get(id);
      } catch (error) {
        if (isShipgateError(error) && error.code === 'RELEASE_NOT_FOUND') return undefined;
        throw error;
      }
    },
    async startDeployment(record) {
      const full = { ...record, id: newRecordId('dep', deps.clock, deps.random) };
      return (await ledger.deployments.start(full, deps.actor)).deployment;
    },
    async updateDeployment(id, patch) {
      const {
        id: _id,
        releaseId: _r,
        service: _s,
        environment: _e,
        digest: _d,
        kind: _k,
        startedBy: _b,
        startedAt: _a,
        ...allowed
      } = patch;
      await ledger.deployments.update(id, allowed, deps.actor);
    },
    async appendAudit(entry) {
      await ledger.audit.append(entry);
    },
  };
}
