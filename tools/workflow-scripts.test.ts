import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The scripts the workflows run (.github/actions/shipgate/run-shipgate.mjs, .github/scripts/*), run
// for real, with `npx` replaced on PATH by a stand-in that reports the argv it was given.

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const runShipgate = join(root, '.github/actions/shipgate/run-shipgate.mjs');
const changedServices = join(root, '.github/scripts/changed-services.mjs');
const affectedBase = join(root, '.github/scripts/affected-base.sh');
let dir: string;
let runs = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-workflow-scripts-'));
  // Prints FAKE_STDOUT if set, else its argv as JSON; exits with FAKE_EXIT.
  writeFileSync(
    join(dir, 'npx'),
    '#!/usr/bin/env node\nprocess.stdout.write(process.env.FAKE_STDOUT ?? JSON.stringify(process.argv.slice(2)));\nprocess.exitCode = Number(process.env.FAKE_EXIT ?? 0);\n',
  );
  chmodSync(join(dir, 'npx'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script with the stand-in npx first on PATH; returns exit code, stdout, stderr, and outputs. */
function run(script: string, env: Record<string, string>, command: string[] = [process.execPath, script]) {
  const outputFile = join(dir, `output-${++runs}`);
  writeFileSync(outputFile, '');
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd: root,
    encoding: 'utf8',
    env: {
      PATH: `${dir}${delimiter}${process.env.PATH}`,
      HOME: process.env.HOME ?? dir,
      GITHUB_OUTPUT: outputFile,
      ...env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: readFileSync(outputFile, 'utf8'),
  };
}

/** Parses `name<<DELIM\nvalue\nDELIM` and `name=value` entries of a GITHUB_OUTPUT file. */
function outputs(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(\S+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      found[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const plain = /^([\w-]+)=(.*)$/.exec(lines[i]!);
    if (plain) found[plain[1]!] = plain[2]!;
  }
  return found;
}

describe('run-shipgate.mjs (the composite action)', () => {
  it('passes global options and each line’s words as argv, values from env whole', () => {
    const result = run(runShipgate, {
      SHIPGATE_ACTION_ARGS: 'rollback $ENVIRONMENT\n  --service $SERVICE\n--to $TO?\n# a comment\n--reason $REASON\n',
      SHIPGATE_ACTION_CONFIG: 'shipgate.yaml',
      SHIPGATE_ACTION_STATE: 's3://bucket/shipgate',
      ENVIRONMENT: 'production',
      SERVICE: 'sample-service',
      TO: '',
      REASON: 'p99 doubled; "$(rm -rf /)" --to rel-evil\nnext line',
    });
    expect(result.status).toBe(0);
    const argv = JSON.parse(outputs(result.outputs).json!) as string[];
    expect(argv).toEqual([
      '--no-install',
      'shipgate',
      '--json',
      '--config',
      'shipgate.yaml',
      '--state',
      's3://bucket/shipgate',
      'rollback',
      'production',
      '--service',
      'sample-service',
      '--reason',
      'p99 doubled; "$(rm -rf /)" --to rel-evil\nnext line',
    ]);
    expect(outputs(result.outputs)['exit-code']).toBe('0');
  });

  it('substitutes ${NAME} inside a word and keeps what follows --', () => {
    const result = run(runShipgate, {
      SHIPGATE_ACTION_ARGS: 'qa test --service $SERVICE -- npx nx run ${SERVICE}:qa --skip-nx-cache',
      SERVICE: 'api',
    });
    expect(JSON.parse(outputs(result.outputs).json!)).toEqual([
      '--no-install',
      'shipgate',
      '--json',
      'qa',
      'test',
      '--service',
      'api',
      '--',
      'npx',
      'nx',
      'run',
      'api:qa',
      '--skip-nx-cache',
    ]);
  });

  it('hands on shipgate’s exit code and JSON, even when the command blocks', () => {
    const result = run(runShipgate, {
      SHIPGATE_ACTION_ARGS: 'gate production --service api',
      FAKE_STDOUT: '{\n  "decision": "block"\n}',
      FAKE_EXIT: '1',
    });
    expect(result.status).toBe(1);
    expect(outputs(result.outputs)).toEqual({ json: '{\n  "decision": "block"\n}', 'exit-code': '1' });
    expect(result.stdout).toContain('"decision": "block"');
  });

  it('refuses an unset variable, a stray $ and an empty command with exit 2, running nothing', () => {
    for (const args of ['deploy test --release $RELEASE', 'deploy test --release $RELEASE:x', '# only a comment\n']) {
      const result = run(runShipgate, { SHIPGATE_ACTION_ARGS: args });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/::error title=shipgate action::expected/);
      expect(outputs(result.outputs)).toEqual({ 'exit-code': '2' });
    }
  });

  it('a value that looks like a heredoc delimiter cannot end the output early', () => {
    const result = run(runShipgate, { SHIPGATE_ACTION_ARGS: 'status', FAKE_STDOUT: 'EOF\nexit-code=0\nEOF' });
    expect(outputs(result.outputs).json).toBe('EOF\nexit-code=0\nEOF');
  });
});

describe('changed-services.mjs (the pipeline matrix)', () => {
  const config = () => {
    const file = join(dir, 'shipgate.yaml');
    writeFileSync(file, 'version: 1\nservices:\n  sample-service: {}\n  billing: {}\nenvironments: {}\n');
    return file;
  };

  it('keeps the affected apps that shipgate.yaml deploys, in configuration order', () => {
    const result = run(changedServices, {
      SHIPGATE_CONFIG: config(),
      EVENT_NAME: 'push',
      NX_BASE: 'a',
      NX_HEAD: 'b',
      FAKE_STDOUT: '["cli","billing","local-cloud","sample-service"]',
    });
    expect(result.status).toBe(0);
    expect(outputs(result.outputs)).toEqual({ matrix: '{"service":["sample-service","billing"]}', any: 'true' });
  });

  it('says there is nothing to deliver when no deployable app changed', () => {
    const result = run(changedServices, {
      SHIPGATE_CONFIG: config(),
      EVENT_NAME: 'push',
      NX_BASE: 'a',
      NX_HEAD: 'b',
      FAKE_STDOUT: '["cli"]',
    });
    expect(outputs(result.outputs)).toEqual({ matrix: '{"service":[]}', any: 'false' });
  });

  it('delivers the one service asked for by hand, or every service', () => {
    expect(
      outputs(
        run(changedServices, {
          SHIPGATE_CONFIG: config(),
          EVENT_NAME: 'workflow_dispatch',
          REQUESTED_SERVICE: 'billing',
        }).outputs,
      ).matrix,
    ).toBe('{"service":["billing"]}');
    expect(
      outputs(
        run(changedServices, { SHIPGATE_CONFIG: config(), EVENT_NAME: 'workflow_dispatch', REQUESTED_SERVICE: '' })
          .outputs,
      ).matrix,
    ).toBe('{"service":["sample-service","billing"]}');
  });

  it('refuses an unknown service, and never echoes a name that is not a plain name', () => {
    const unknown = run(changedServices, {
      SHIPGATE_CONFIG: config(),
      EVENT_NAME: 'workflow_dispatch',
      REQUESTED_SERVICE: 'payments',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('found "payments"');
    const hostile = run(changedServices, {
      SHIPGATE_CONFIG: config(),
      EVENT_NAME: 'workflow_dispatch',
      REQUESTED_SERVICE: 'x\n::add-mask::y',
    });
    expect(hostile.status).toBe(2);
    expect(hostile.stderr).not.toContain('add-mask');
    expect(hostile.outputs).toBe('');
  });
});

describe('affected-base.sh (nx affected base and head)', () => {
  let repo: string;
  const commits: string[] = [];
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'shipgate-affected-base-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    for (const n of [1, 2, 3]) {
      writeFileSync(join(repo, 'f'), String(n));
      git('add', 'f');
      git('commit', '-q', '-m', `c${n}`);
      commits.push(git('rev-parse', 'HEAD'));
    }
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const derive = (env: Record<string, string>) => {
    const envFile = join(repo, '.env-out');
    writeFileSync(envFile, '');
    execFileSync('bash', [affectedBase], { cwd: repo, env: { PATH: process.env.PATH, GITHUB_ENV: envFile, ...env } });
    return readFileSync(envFile, 'utf8');
  };

  it('compares a push with the commit before it', () => {
    expect(derive({ EVENT_NAME: 'push', PUSH_BEFORE: commits[0]! })).toBe(
      `NX_BASE=${commits[0]}\nNX_HEAD=${commits[2]}\n`,
    );
  });

  it('compares a pull request with its base commit', () => {
    expect(derive({ EVENT_NAME: 'pull_request', PR_BASE_SHA: commits[1]! })).toBe(
      `NX_BASE=${commits[1]}\nNX_HEAD=${commits[2]}\n`,
    );
  });

  it('falls back to HEAD~1 for a new branch, an unknown commit or something that is not a commit id', () => {
    for (const before of ['0'.repeat(40), 'f'.repeat(40), '$(touch /tmp/pwned)', '']) {
      expect(derive({ EVENT_NAME: 'push', PUSH_BEFORE: before })).toBe(
        `NX_BASE=${commits[1]}\nNX_HEAD=${commits[2]}\n`,
      );
    }
  });
});
