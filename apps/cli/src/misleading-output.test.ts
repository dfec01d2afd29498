import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from './registry';
import { createRelease, runMain, target } from './testing/run-main';

// #11 item 19: output that misled, each checked on the real CLI output.
const exampleConfig = new URL('../../../shipgate.yaml', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** shipgate through main() on the example config, human output. */
const shipgate = (argv: string[], env: Record<string, string> = {}) =>
  runMain({ config: exampleConfig, state: join(dir, 'state'), args: argv, env, json: false });

describe('output that no longer misleads (#11.19)', () => {
  it('`audit log -n 5` suggests --limit, not --as', async () => {
    const r = await shipgate(['audit', 'log', '-n', '5']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '-n'");
    expect(r.err).toContain('Did you mean --limit?');
    expect(r.err).not.toContain('--as');
  });

  it('a group without its subcommand lists the group (exit 2), and `--help` on it shows them (exit 0)', async () => {
    const groups = [...new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))];
    expect(groups.sort()).toEqual([
      'approvals',
      'audit',
      'config',
      'data',
      'evidence',
      'infra',
      'local-cloud',
      'release',
    ]);
    for (const group of groups) {
      const members = commands.filter((c) => c.name.startsWith(`${group} `));
      const bare = await shipgate([group]);
      expect(bare.code, group).toBe(2);
      expect(bare.err).not.toContain('unknown command');
      expect(bare.err).toContain(`expected a subcommand of \`shipgate ${group}\``);
      for (const m of members) expect(bare.err).toContain(m.name.slice(group.length + 1));
      const help = await shipgate([group, '--help']);
      expect(help.code, group).toBe(0);
      for (const m of members)
        expect(help.out).toMatch(new RegExp(`^ {2}${m.name} +${m.summary.replace(/[()]/g, '\\$&')}$`, 'm'));
    }
    const typo = await shipgate(['local-cloud', 'upp']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('found "upp"');
    expect(typo.err).toContain('Did you mean `shipgate local-cloud up`?');
  });

  it('without k6, stress says shipgate does not fall back, and names --tool autocannon', async () => {
    const state = join(dir, 'stress');
    const run = (at: string, args: string[]) =>
      runMain({ config: exampleConfig, state: at, args: ['--policy-profile', 'local-rehearsal', ...args] });
    const release = await createRelease(run, state, 'sha256:' + '3d'.repeat(32));
    const r = await runMain({
      config: exampleConfig,
      state,
      args: ['stress', 'staging', ...target(release)],
      env: { K6_BINARY: join(dir, 'no-k6-here') },
      json: false,
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('error TOOL_NOT_INSTALLED');
    expect(r.err).not.toContain('shipgate uses autocannon');
    expect(r.err).toContain('never falls back');
    expect(r.err).toContain('`shipgate stress --tool autocannon`');
  });

  it('`local-cloud up` prints where it listens as a notice, not a warning, and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./testing/main-child.ts', import.meta.url)),
        ...['local-cloud', 'up', '--port', '0', '--state-dir', join(dir, 'cloud')],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const listening = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('listening on')) resolve();
      }),
    );
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
    await listening;
    child.kill('SIGINT');
    expect(await exited, err).toBe('0');
    expect(err).toMatch(/^local-cloud listening on http:\/\/127\.0\.0\.1:\d+ \(time scale 1\)/);
    expect(err).not.toContain('warning:');
    expect(out).toContain('local-cloud stopped; no task left running');
  }, 60_000);
});
