import {
  canonicalJson,
  sha256Hex,
  ShipgateError,
  type Clock,
  type DeploymentRecord,
  type Random,
} from '@shipgate/model';
import type { AuditLog } from './audit-log';
import { currentDeployment, inFlightDeployments, newestFirst } from './deployment-queries';
import { createOrRead, parseRecord, readAll, readRecord, recordBytes, recordReference } from './record-io';
import { jitteredBackoff, retryBudget, type RetryPolicy, type Sleep } from './retry';
import { readMany, type StateStore } from './state-store';

/** Fields a deployment update may change; the identity of the attempt never changes. */
export type DeploymentPatch = Partial<
  Omit<DeploymentRecord, 'id' | 'releaseId' | 'service' | 'environment' | 'digest' | 'kind' | 'startedBy' | 'startedAt'>
>;

/** Filters for deployments; every given filter must match. */
export interface DeploymentFilter {
  service?: string;
  environment?: string;
  releaseId?: string;
  outcome?: DeploymentRecord['outcome'];
}

/** Deployment attempts in the ledger: `deployments/<id>.json`, updated with compare-and-swap. */
export interface DeploymentStore {
  /** Records a new attempt; the same record again is a no-op (`created: false`). */
  start(record: DeploymentRecord, actor: string): Promise<{ deployment: DeploymentRecord; created: boolean }>;
  /** Applies a patch (or a function of the current record returning one) without losing concurrent updates. */
  update(
    id: string,
    patch: DeploymentPatch | ((current: DeploymentRecord) => DeploymentPatch),
    actor: string,
  ): Promise<DeploymentRecord>;
  /** One attempt, or undefined. */
  get(id: string): Promise<DeploymentRecord | undefined>;
  /** The id of every attempt, sorted by code unit (ids from newRecordId sort by start time). */
  ids(): Promise<string[]>;
  /** The attempts with these ids, in bulk (the store's `readMany`), leaving out ids with no record. */
  getMany(ids: readonly string[]): Promise<DeploymentRecord[]>;
  /** Attempts matching the filter, newest first. */
  list(filter?: DeploymentFilter): Promise<DeploymentRecord[]>;
  /** The newest succeeded deploy/rollback of (service, environment): what serves now. */
  current(service: string, environment: string): Promise<DeploymentRecord | undefined>;
  /** Attempts of (service, environment) still in progress, newest first. */
  inFlight(service: string, environment: string): Promise<DeploymentRecord[]>;
}

const immutableFields = [
  'id',
  'releaseId',
  'service',
  'environment',
  'digest',
  'kind',
  'startedBy',
  'startedAt',
] as const;
const deploymentKey = (id: string) => `deployments/${id}.json`;
const deploymentKeyPattern = /^deployments\/(.+)\.json$/;

/** The same attempt, whatever its signature (ECDSA signatures differ each time the same content is signed). */
function sameAttempt(a: DeploymentRecord, b: DeploymentRecord): boolean {
  const { envelope: _a, ...left } = a;
  const { envelope: _b, ...right } = b;
  return canonicalJson(left) === canonicalJson(right);
}

/** The deployment store over a state store, auditing every start and update. */
export function deploymentStore(
  store: StateStore,
  audit: AuditLog,
  deps: {
    clock: Clock;
    random: Random;
    sleep: Sleep;
    retry?: Partial<RetryPolicy>;
    signDeployment?: (record: DeploymentRecord) => Promise<DeploymentRecord>;
  },
): DeploymentStore {
  // A finished outcome is signed over its whole content; an update drops an earlier signature, which
  // covered other content, and a finished one is signed again.
  const seal = async (record: DeploymentRecord): Promise<DeploymentRecord> => {
    const { envelope: _stale, ...bare } = record;
    return deps.signDeployment && bare.outcome !== 'in-progress' ? deps.signDeployment(bare) : bare;
  };
  // A record started already signed (by a signer the caller holds) is kept as given when the store has none.
  const sealNew = (record: DeploymentRecord) => (deps.signDeployment ? seal(record) : Promise.resolve(record));
  const all = () => readAll<DeploymentRecord>(store, 'deployments/');
  const subject = (d: DeploymentRecord) => ({
    service: d.service,
    environment: d.environment,
    releaseId: d.releaseId,
    deploymentId: d.id,
  });

  return {
    async start(unsealed, actor) {
      const record = await sealNew(unsealed);
      const outcome = await createOrRead(store, deploymentKey(record.id), record);
      if (!outcome.created && !sameAttempt(outcome.existing, record)) {
        throw new ShipgateError(
          'INTERNAL',
          `expected deployment id ${record.id} to be new, found another attempt already recorded under it`,
          { hint: 'Give each deployment a fresh id (newRecordId).' },
        );
      }
      await audit.append({
        actor,
        action: `${record.kind}.start`,
        subject: subject(record),
        details: {
          created: outcome.created,
          ...recordReference(deploymentKey(record.id), outcome.recordHash),
          digest: record.digest,
          controller: record.controller,
          ...(record.rolledBackDeploymentId ? { rolledBackDeploymentId: record.rolledBackDeploymentId } : {}),
        },
      });
      return { deployment: record, created: outcome.created };
    },

    async update(id, patchOrFn, actor) {
      const budget = retryBudget(deps.clock, deps.retry);
      let attempt = 1;
      for (; budget.allows(attempt); attempt++) {
        const current = await readRecord<DeploymentRecord>(store, deploymentKey(id));
        if (!current)
          throw new ShipgateError(
            'INTERNAL',
            `expected deployment ${id} in the ledger at ${store.location}, found none`,
            { hint: 'Start the deployment (deployments.start) before updating it.' },
          );
        const patch = typeof patchOrFn === 'function' ? patchOrFn(current.record) : patchOrFn;
        for (const field of immutableFields) {
          if (field in patch && (patch as Record<string, unknown>)[field] !== current.record[field]) {
            throw new ShipgateError(
              'INTERNAL',
              `expected an update of deployment ${id} to leave ${field} alone, found it changed`,
              { hint: 'Start a new deployment instead.' },
            );
          }
        }
        const next: DeploymentRecord = await seal({ ...current.record, ...patch });
        const bytes = recordBytes(next);
        if ((await store.replaceIfVersion(deploymentKey(id), bytes, current.version)) === 'replaced') {
          const finished = patch.outcome !== undefined && patch.outcome !== 'in-progress';
          await audit.append({
            actor,
            action: `${next.kind}.${finished ? 'finish' : 'update'}`,
            subject: subject(next),
            details: { ...patch, ...recordReference(deploymentKey(id), sha256Hex(bytes)) },
          });
          return next;
        }
        await deps.sleep(jitteredBackoff(attempt, deps.random));
      }
      throw new ShipgateError(
        'LEDGER_LOCKED',
        `expected to update deployment ${id} within ${budget.describe(attempt)}, found it changed by another writer every time`,
        { hint: 'Another process keeps updating this deployment; retry the command.' },
      );
    },

    async get(id) {
      return (await readRecord<DeploymentRecord>(store, deploymentKey(id)))?.record;
    },

    async ids() {
      return (await store.list('deployments/')).flatMap((key) => {
        const id = deploymentKeyPattern.exec(key)?.[1];
        return id !== undefined && !id.includes('/') ? [id] : [];
      });
    },

    async getMany(ids) {
      const keys = ids.map(deploymentKey);
      const objects = await readMany(store, keys);
      return objects.flatMap((object, i) => (object ? [parseRecord<DeploymentRecord>(store, keys[i]!, object)] : []));
    },

    async list(filter = {}) {
      return (await all())
        .filter(
          (d) =>
            (filter.service === undefined || d.service === filter.service) &&
            (filter.environment === undefined || d.environment === filter.environment) &&
            (filter.releaseId === undefined || d.releaseId === filter.releaseId) &&
            (filter.outcome === undefined || d.outcome === filter.outcome),
        )
        .sort(newestFirst);
    },

    async current(service, environment) {
      return currentDeployment(await all(), service, environment);
    },

    async inFlight(service, environment) {
      return inFlightDeployments(await all(), service, environment);
    },
  };
}
