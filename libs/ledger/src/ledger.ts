import type { Clock, DeploymentRecord, Random } from '@shipgate/model';
import { AuditLog } from './audit-log';
import { decisionStore, type DecisionStore } from './decisions';
import { deploymentStore, type DeploymentStore } from './deployments';
import { evidenceStore, type EvidenceStore } from './evidence';
import { releaseStore, type ReleaseStore } from './releases';
import { timerSleep, type RetryPolicy, type Sleep } from './retry';
import type { StateStore } from './state-store';

/** The durable record: releases, evidence, decisions, deployments, and the audit log of every change. */
export interface Ledger {
  readonly store: StateStore;
  readonly releases: ReleaseStore;
  readonly evidence: EvidenceStore;
  readonly decisions: DecisionStore;
  readonly deployments: DeploymentStore;
  readonly audit: AuditLog;
}

/** What the ledger needs from its surroundings. */
export interface LedgerOptions {
  clock: Clock;
  /** Jitter for retries when writers race. */
  random: Random;
  sleep?: Sleep;
  /** How long an append or update that keeps losing races keeps trying (default 5000 attempts / 30 s). */
  retry?: Partial<RetryPolicy>;
  /**
   * Signs a finished deployment record (deploy or rollback outcome) as the environment's CI identity; the
   * store keeps the signed record. Without it, outcomes are stored unsigned and prove nothing to the gate.
   */
  signDeployment?: (record: DeploymentRecord) => Promise<DeploymentRecord>;
}

/** Opens the ledger kept in a state store (see resolveStateStore). Nothing is read until used. */
export function openLedger(store: StateStore, options: LedgerOptions): Ledger {
  const sleep = options.sleep ?? timerSleep;
  const deps = {
    clock: options.clock,
    random: options.random,
    sleep,
    ...(options.retry ? { retry: options.retry } : {}),
  };
  const audit = new AuditLog(store, deps);
  return {
    store,
    releases: releaseStore(store, audit),
    evidence: evidenceStore(store, audit),
    decisions: decisionStore(store, audit),
    deployments: deploymentStore(store, audit, {
      ...deps,
      ...(options.signDeployment ? { signDeployment: options.signDeployment } : {}),
    }),
    audit,
  };
}
