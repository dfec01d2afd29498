import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cryptoRandom, systemClock, type DeploymentRecord } from '@shipgate/model';

// Keys for CLI tests, made in the test: SSH keys by ssh-keygen for people, listed in the allowed-signers
// file that the example config's local-rehearsal profile names (`.shipgate/rehearsal/allowed_signers`
// beside the config), and the rehearsal key under the state directory as every environment's CI.

/** People with SSH keys: the private key path of each; `listed` ones are in the allowed-signers file. */
export async function makePeople(
  configDir: string,
  listed: string[],
  unlisted: string[] = [],
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
  const file = join(configDir, '.shipgate', 'rehearsal', 'allowed_signers');
  await mkdir(join(configDir, '.shipgate', 'rehearsal'), { recursive: true });
  await writeFile(file, lines.join('\n') + '\n');
  return keys;
}

/**
 * Records, as CI would after a deploy, that `releaseId` has served `environment` since `finishedAt`:
 * a finished deployment signed with the rehearsal key of `state` (the key the profile accepts).
 */
export async function recordServing(
  state: string,
  release: { id: string; service: string; digest: string },
  environment: string,
  finishedAt = new Date(Date.now() - 60_000),
): Promise<DeploymentRecord> {
  const [{ FsStateStore, openLedger }, trust] = await Promise.all([
    import('@shipgate/ledger'),
    import('@shipgate/trust'),
  ]);
  const signer = await trust.generateRehearsalKey(state);
  const ledger = openLedger(new FsStateStore(state), {
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
