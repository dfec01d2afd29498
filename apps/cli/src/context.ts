import type { DryRunStateStore, Ledger } from '@shipgate/ledger';
import type { DeploymentRecord } from '@shipgate/model';
import { escapeForTerminal } from '@shipgate/model/core';
import type { BaseContext } from './command';
import type { Output } from './render/output';
import { detectActor } from './support/actor';

/** What main knows before a command runs: the parsed command line, the process, and where output goes. */
export type ContextInput = Pick<BaseContext, 'positionals' | 'rest' | 'global' | 'cwd' | 'env' | 'clock'> & {
  io: Output;
  /** `--dry-run` was given: the ledger holds its writes back. */
  dryRun?: boolean;
};

/**
 * The context every command runs with. Config, ledger and AWS clients are built on first use and
 * memoized, so a command (and the commands it runs, like promote running deploy and its gate) reads
 * shipgate.yaml once and opens the ledger once. The modules behind them are imported only then: the
 * CLI entry stays free of the AWS SDK, YAML and schema code, which keeps `--help` and `--version` fast.
 */
export function createBaseContext(input: ContextInput): BaseContext {
  const { global, cwd, env, io } = input;
  const once = <T>(build: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => (value ??= build());
  };
  const config = once(async () => (await import('./support/config')).loadConfig({ global, cwd }));
  const dryRun = input.dryRun ?? false;
  let opened: Ledger | undefined;
  // Finished deployment outcomes are signed as the environment's CI identity, when the config names one.
  const signDeployment = async (record: DeploymentRecord): Promise<DeploymentRecord> => {
    const loaded = await config();
    const profile = loaded.profile ? loaded.config.profiles[loaded.profile] : undefined;
    if (!loaded.config.trust && !profile?.acceptRehearsalKey) return record;
    try {
      const [{ ciSigner }, { signRecord, deploymentCodec }] = await Promise.all([
        import('./support/signers'),
        import('@shipgate/trust'),
      ]);
      return await signRecord(record, deploymentCodec, [
        await ciSigner({ global, cwd, env }, loaded, record.environment),
      ]);
    } catch (error) {
      io.stderr(
        `warning: ${escapeForTerminal(`deployment ${record.id} is recorded unsigned: ${(error as Error).message}; evidence recorded in ${record.environment} while it serves will not count`)}\n`,
      );
      return record;
    }
  };
  const ledger = once(async () => {
    opened = await (await import('./support/ledger')).openLedgerFor({ global, cwd, env }, { dryRun, signDeployment });
    return opened;
  });
  const actor = once(() => detectActor(global.as, env));
  const clients = new Map<string, ReturnType<BaseContext['aws']>>();
  const aws = (region: string) => {
    let built = clients.get(region);
    if (!built) {
      built = (async () => {
        const [{ createAwsClients, resolveAwsSettings }, loaded] = await Promise.all([
          import('./support/aws'),
          config(),
        ]);
        return createAwsClients(resolveAwsSettings(loaded.config, region, env));
      })();
      clients.set(region, built);
    }
    return built;
  };
  const base: BaseContext = {
    dryRun,
    // After a command that appended to the audit log: sign a checkpoint of the head (#12.7).
    sealAudit: async () => {
      if (!opened || opened.audit.stats.appended === 0) return;
      if (dryRun) {
        // List the checkpoint a real run would sign, when one would be signed; sign nothing.
        const { checkpointSignerOf } = await import('./support/audit-trust');
        if (await checkpointSignerOf(base)) await opened.audit.holdCheckpointPreview(opened.store as DryRunStateStore);
        return;
      }
      const { checkpointSigner } = await import('./support/audit-trust');
      let signer;
      try {
        signer = await checkpointSigner(base);
      } catch (error) {
        // The command's own work is done and recorded; only its anchor is missing, and audit verify counts
        // it. In CI that is a misconfiguration worth a warning; on a laptop (a person approving, with no
        // access to the environment's KMS key) it is expected: the next CI command's checkpoint covers it.
        if (env.GITHUB_ACTIONS !== 'true') return;
        base.warn(
          `audit checkpoint not signed (${(error as Error).message}); this command's entries stay unanchored until the next signed checkpoint`,
        );
        return;
      }
      if (signer) await opened.audit.checkpoint(signer);
    },
    heldWrites: () => (opened?.store as Partial<DryRunStateStore> | undefined)?.writes ?? [],
    positionals: input.positionals,
    rest: input.rest,
    global,
    cwd,
    env,
    clock: input.clock,
    config,
    ledger,
    aws,
    actor,
    // Progress and warnings quote names and tool output: escape sequences in them are shown, not run (#11.15).
    progress: (message) => {
      if (!global.json && !global.quiet) io.stderr(escapeForTerminal(message, { keepLayout: true }) + '\n');
    },
    notice: (message) => io.stderr(escapeForTerminal(message, { keepLayout: true }) + '\n'),
    warn: (message) => io.stderr(`warning: ${escapeForTerminal(message, { keepLayout: true })}\n`),
    toolOutput: (line) => {
      if (!global.quiet) io.stderr(escapeForTerminal(line, { keepLayout: true }) + '\n');
    },
    stepSummary: async (markdown) => {
      const file = env.GITHUB_STEP_SUMMARY;
      if (!file) return;
      const { appendFile } = await import('node:fs/promises');
      await appendFile(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
    },
  };
  return base;
}
