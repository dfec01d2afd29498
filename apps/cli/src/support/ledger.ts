import { resolve } from 'node:path';
import { cryptoRandom, systemClock, type DeploymentRecord } from '@shipgate/model';
import type { CommandContext } from '../command';

/**
 * Opens the ledger named by --state: a directory (default .shipgate/) or s3://bucket/prefix. In a dry
 * run its store is a DryRunStateStore: writes are held (and listed) instead of made.
 */
export async function openLedgerFor(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env'>,
  options: { dryRun?: boolean; signDeployment?: (record: DeploymentRecord) => Promise<DeploymentRecord> } = {},
) {
  const { DryRunStateStore: HoldingStore, openLedger, resolveStateStore } = await import('@shipgate/ledger');
  const location = ctx.global.state.startsWith('s3://') ? ctx.global.state : resolve(ctx.cwd, ctx.global.state);
  const real = await resolveStateStore(location, {
    s3Client: async () => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      return new S3Client({
        ...(ctx.env.SHIPGATE_S3_ENDPOINT ? { endpoint: ctx.env.SHIPGATE_S3_ENDPOINT, forcePathStyle: true } : {}),
      });
    },
  });
  return openLedger(options.dryRun ? new HoldingStore(real) : real, {
    clock: systemClock,
    random: cryptoRandom,
    ...(options.signDeployment ? { signDeployment: options.signDeployment } : {}),
  });
}
