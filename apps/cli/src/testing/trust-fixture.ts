import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StateStore } from '@shipgate/ledger';
import { cryptoRandom, systemClock, type DeploymentRecord } from '@shipgate/model';
import type { SignerPort } from '@shipgate/trust';

// Keys for CLI tests, made in the test: SSH keys by ssh-keygen for people, listed in the allowed-signers
// file that the example config's local-rehearsal profile names (`.shipgate/rehearsal/allowed_signers`
// beside the config), and the rehearsal key under the state directory as every environment's CI.

/** People with SSH keys: the private key path of each; `listed` ones are in the allowed-signers file. */
export async function makePeople(
  configDir: string,
  listed: string[],
  unlisted: string[] = [],
  file = join('.shipgate', 'rehearsal', 'allowed_signers'),
): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  const lines: string[] = [];
  const keyDir = join(configDir, 'keys');
  await mkdir(keyDir, { recursive: true });
  for (const name of [...listed, ...unlisted]) {
    const path = join(keyDir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
    keys[name] = path;
    const [type, blob] = (await readFile(`${path}.pub`, 'utf8')).trim().split(' ');
    if (listed.includes(name)) lines.push(`${name} namespaces="shipgate-approval" ${type} ${blob}`);
  }
  await mkdir(dirname(join(configDir, file)), { recursive: true });
  await writeFile(join(configDir, file), lines.join('\n') + '\n');
  return keys;
}

/**
 * Records, as CI would after a deploy, that `releaseId` has served `environment` since `finishedAt`:
 * a finished deployment signed by `signer` (default: the rehearsal key of `state`, which the profile
 * accepts), written to `store` (default: the directory `state`).
 */
export async function recordServing(
  state: string,
  release: { id: string; service: string; digest: string },
  environment: string,
  options: { finishedAt?: Date; signer?: SignerPort; store?: StateStore } = {},
): Promise<DeploymentRecord> {
  const [{ FsStateStore, openLedger }, trust] = await Promise.all([
    import('@shipgate/ledger'),
    import('@shipgate/trust'),
  ]);
  const finishedAt = options.finishedAt ?? new Date(Date.now() - 60_000);
  const signer = options.signer ?? (await trust.generateRehearsalKey(state));
  const ledger = openLedger(options.store ?? new FsStateStore(state), {
    clock: systemClock,
    random: cryptoRandom,
    signDeployment: (d) => trust.signRecord(d, trust.deploymentCodec, [signer]),
  });
  const record: DeploymentRecord = {
    id: `dep-${environment}-${release.id}`,
    releaseId: release.id,
    service: release.service,
    environment,
    digest: release.digest,
    controller: 'codedeploy',
    kind: 'deploy',
    startedBy: 'ci-bot',
    startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    outcome: 'succeeded',
  };
  return (await ledger.deployments.start(record, 'ci-bot')).deployment;
}
