import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openLedger, resolveStateStore } from '@shipgate/ledger';
import { cryptoRandom, systemClock } from '@shipgate/model';
import { main } from './main';
import { captureOutput } from './render/output';

// #11 items 12–16: bad input gets a coded error and exit 2 (never 4 with a stack trace), names are
// looked up as the config declares them, and attacker-chosen text is shown escaped. Every case runs
// the real CLI through main(), on real files and a real ledger directory.

const exampleConfig = new URL('../../../shipgate.yaml', import.meta.url).pathname;
const exampleTemplate = new URL('../../sample-service/taskdef.json', import.meta.url).pathname;
const digest = (c: string) => `sha256:${c.repeat(64)}`;
let dir: string;
let state: string;
let releaseId: string;
let example: string;

async function shipgate(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** Writes a config into the test directory; its task-definition template path is made absolute. */
async function config(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The JSON error of a run under --json, and a check that no stack trace reached stderr. */
function userError(run: { code: number; out: string; err: string }) {
  expect(run.err).not.toMatch(/\n\s+at /);
  expect(run.err).not.toContain('INTERNAL');
  return (
    JSON.parse(run.out) as {
      error: {
        code: string;
        message: string;
        problems?: { code: string; message: string; path?: string; line?: number }[];
      };
    }
  ).error;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-bad-input-'));
  state = join(dir, 'state');
  example = (await readFile(exampleConfig, 'utf8'))
    .replace('taskDefinition: apps/sample-service/taskdef.json', `taskDefinition: ${join(dir, 'taskdef.json')}`)
    .replace('dataset: apps/sample-service/', `dataset: ${new URL('../../sample-service/', import.meta.url).pathname}`);
  await writeFile(join(dir, 'taskdef.json'), await readFile(exampleTemplate, 'utf8'));
  await config('shipgate.yaml', example);
  const created = await shipgate(
    '--json',
    '--config',
    join(dir, 'shipgate.yaml'),
    '--state',
    state,
    // Signed with the rehearsal key (the build CI identity's stand-in on local-cloud).
    '--policy-profile',
    'local-rehearsal',
    '--as',
    'ci',
    'release',
    'create',
    '--service',
    'sample-service',
    '--image',
    `registry.example/sample@${digest('a')}`,
    '--git-sha',
    '4f2c1e9',
  );
  expect(created.code, created.err).toBe(0);
  releaseId = (JSON.parse(created.out) as { release: { id: string } }).release.id;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withConfig = (...argv: string[]) =>
  shipgate('--json', '--config', join(dir, 'shipgate.yaml'), '--state', state, ...argv);

describe('user errors that used to exit 4 with a stack trace (#11.12)', () => {
  it('a YAML alias bomb is CONFIG_SYNTAX, exit 2', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const file = await config('bomb.yaml', levels.join('\n') + '\n');
    const run = await shipgate('--json', 'config', 'validate', '--config', file);
    expect(run.code).toBe(2);
    const error = userError(run);
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(JSON.stringify(error.problems)).toContain(
      'expected aliases (*name) to add at most 100,000 values once expanded, found 4,412,961,486 (an alias bomb)',
    );
  });

  it('an alias inside the value it names is CONFIG_SYNTAX, exit 2', async () => {
    const file = await config('loop.yaml', example.replace('  timeScale: 60', '  timeScale: &t [1, *t]'));
    const run = await shipgate('--json', 'config', 'validate', '--config', file);
    expect(run.code).toBe(2);
    expect(userError(run).code).toBe('CONFIG_SYNTAX');
  });

  it('a deeply nested k6 summary is EVIDENCE_INVALID, exit 2', async () => {
    const groups = `{"metrics":{"http_reqs":{"count":1}},"root_group":${'{"name":"g","checks":[],"groups":['.repeat(20_000)}{}${']}'.repeat(20_000)}}`;
    const metric = `{"metrics":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}},"root_group":{}}`;
    for (const [name, text] of [
      ['groups.json', groups],
      ['metric.json', metric],
    ] as const) {
      await writeFile(join(dir, name), text);
      const run = await withConfig(
        'evidence',
        'add',
        'staging',
        '--service',
        'sample-service',
        '--release',
        releaseId,
        '--k6-summary',
        join(dir, name),
      );
      expect(run.code, name).toBe(2);
      const error = userError(run);
      expect(error.code).toBe('EVIDENCE_INVALID');
      expect(error.message).toContain('found nesting deeper than 64 levels at line 1');
    }
  });

  it('a malformed database URL is DATABASE_URL_INVALID, exit 2, and its password is not shown', async () => {
    for (const url of ['postgres://app:hunter2@db.example:99999/test', 'postgres://app:hunter2@[::1/test']) {
      for (const command of [
        ['seed', 'test'],
        ['data', 'verify', 'test'],
      ]) {
        const run = await withConfig(...command, '--service', 'sample-service', '--database-url', url);
        expect(run.code, `${command.join(' ')} ${url}`).toBe(2);
        const error = userError(run);
        expect(error.code).toBe('DATABASE_URL_INVALID');
        expect(error.message).toContain('expected a database URL');
        expect(run.out + run.err).not.toContain('hunter2');
      }
    }
  });

  it('`deploy constructor` is UNKNOWN_ENVIRONMENT, exit 2', async () => {
    const run = await withConfig('deploy', 'constructor', '--service', 'sample-service', '--release', releaseId);
    expect(run.code).toBe(2);
    expect(userError(run)).toMatchObject({
      code: 'UNKNOWN_ENVIRONMENT',
      message: 'expected one of the configured environments (test, staging, production), found "constructor"',
    });
  });
});

describe('names are looked up as declared, never through the prototype chain (#11.13)', () => {
  it('`gate constructor`, `gate toString` and `gate __proto__` are refused, not passed', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const run = await withConfig('gate', name, '--service', 'sample-service', '--release', releaseId);
      expect(run.code, name).toBe(2);
      expect(userError(run).code).toBe('UNKNOWN_ENVIRONMENT');
      expect(run.out).not.toContain('PASS');
    }
  });

  it('a service or policy profile named after Object.prototype is refused', async () => {
    const service = await withConfig('gate', 'test', '--service', 'constructor', '--release', releaseId);
    expect(service.code).toBe(2);
    expect(userError(service).code).toBe('UNKNOWN_SERVICE');
    const profile = await withConfig('--policy-profile', 'toString', 'plan');
    expect(profile.code).toBe(2);
    expect(userError(profile)).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('config keys __proto__, constructor and prototype are refused with their path, not dropped', async () => {
    const cases: [string, string][] = [
      ['services:\n', 'services:\n  __proto__:\n    containerName: x\n'],
      ['\nenvironments:\n', '\nenvironments:\n  constructor:\n    dataPolicy: synthetic\n    services: {}\n'],
      ['  test:\n    dataPolicy', '  test:\n    prototype: 1\n    dataPolicy'],
    ];
    const paths = ['services.__proto__', 'environments.constructor', 'environments.test.prototype'];
    for (const [[from, to], path] of cases.map((c, i) => [c, paths[i]!] as const)) {
      expect(example).toContain(from);
      const file = await config('reserved.yaml', example.replace(from, to));
      const run = await shipgate('--json', 'config', 'validate', '--config', file);
      expect(run.code, path).toBe(2);
      const error = userError(run);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.problems?.map((p) => p.path)).toContain(path);
    }
  });
});

describe('shipgate.yaml size and validation cost (#11.14)', () => {
  it('config validate --help states the limits it enforces', async () => {
    const help = await shipgate('config', 'validate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('A configuration is at most 1 MiB');
    expect(help.out).toContain('aliases (*name) may add at most 100,000 values');
  });

  it('refuses a config over 1 MiB before reading it, with CONFIG_TOO_LARGE and exit 2', async () => {
    const file = await config('big.yaml', example + `# ${'x'.repeat(1024 * 1024)}\n`);
    const run = await shipgate('--json', 'config', 'validate', '--config', file);
    expect(run.code).toBe(2);
    const error = userError(run);
    expect(error.code).toBe('CONFIG_TOO_LARGE');
    expect(error.message).toMatch(
      /expected a configuration of at most 1,048,576 bytes \(1 MiB\), found 1,05\d,\d{3} bytes/,
    );
  });

  it('reports a cycle at the end of a 2,000-environment promotion chain and a duplicate key with its line', async () => {
    const lines = ['version: 1', 'project: big', 'services:', '  svc:', '    containerName: app'];
    lines.push('    containerPort: 8080', '    taskDefinition: t.json', 'environments:');
    for (let i = 0; i < 2000; i++) {
      lines.push(`  env-${i}:`, '    dataPolicy: synthetic', '    services: {}');
      lines.push(`    promotion: { from: env-${i === 0 ? 1999 : i - 1} }`);
    }
    lines.push('  env-7:', '    dataPolicy: synthetic', '    services: {}');
    const file = await config('chain.yaml', lines.join('\n') + '\n');
    const run = await shipgate('--json', 'config', 'validate', '--config', file);
    expect(run.code).toBe(2);
    const problems = userError(run).problems ?? [];
    expect(problems.find((p) => p.code === 'CONFIG_SYNTAX')).toMatchObject({
      message: 'duplicate key "env-7"; expected each key once in a mapping',
      path: 'environments.env-7',
      line: lines.length - 2,
    });
    const cycle = problems.find((p) => p.message.startsWith('promotion order has a cycle'))!;
    expect(cycle.message.split(' ← ')).toHaveLength(2001);
  });
});

describe('control characters: refused in identifiers, escaped in output (#11.15)', () => {
  it('refuses them in an environment, a service, a release id and an actor, showing them escaped', async () => {
    const cases: [string[], string][] = [
      [['gate', 'te\u001b[2Jst', '--service', 'sample-service', '--release', releaseId], 'an environment name'],
      [['gate', 'test', '--service', 'sample\nPASS', '--release', releaseId], 'a service name (--service)'],
      [['gate', 'test', '--service', 'sample-service', '--release', `${releaseId}\r`], 'a release id (--release)'],
      [
        ['--as', 'ann\u202e', 'approve', 'production', '--service', 'sample-service', '--release', releaseId],
        'an actor (from --as)',
      ],
    ];
    for (const [argv, what] of cases) {
      const run = await shipgate('--config', join(dir, 'shipgate.yaml'), '--state', state, ...argv);
      expect(run.code, what).toBe(2);
      expect(run.err).toContain(`error USAGE: expected ${what} without control characters or line breaks`);
      expect(run.err).not.toMatch(/[\u001b\r\u202e]|\nPASS/);
    }
  });

  it('the audit log keeps a recorded value as written, and `audit log` shows it escaped', async () => {
    // An entry written by an older shipgate (or any writer of the state store) with a hostile actor.
    const ledger = await openLedger(await resolveStateStore(state, {}), { clock: systemClock, random: cryptoRandom });
    const hostile = 'mallory\u001b[2J\nPASS production';
    await ledger.audit.append({ actor: hostile, action: 'test.hostile', subject: { releaseId } });
    const files = await readdir(join(state, 'audit'));
    const stored = await Promise.all(files.map((f) => readFile(join(state, 'audit', f), 'utf8')));
    expect(stored.some((text) => JSON.parse(text).actor === hostile)).toBe(true);
    const run = await shipgate('--state', state, 'audit', 'log', '--action', 'test.hostile');
    expect(run.code).toBe(0);
    expect(run.out).toContain('mallory\\x1b[2J\\nPASS production');
    expect(run.out).not.toContain('\u001b');
    expect(run.out.split('\n').some((line) => line.startsWith('PASS'))).toBe(false);
    // Under --json the value is the same once parsed, and the text carries nothing a terminal acts on.
    const c1 = 'eve\u009b2J\u202e';
    await ledger.audit.append({ actor: c1, action: 'test.c1', subject: { releaseId } });
    const json = await shipgate('--json', '--state', state, 'audit', 'log', '--action', 'test.c1');
    expect(json.out).not.toMatch(/[\u001b\u007f-\u009f\u202e]/);
    expect(json.out).toContain('eve\\u009b2J\\u202e');
    expect((JSON.parse(json.out) as { entries: { actor: string }[] }).entries[0]!.actor).toBe(c1);
  });

  it('a rollback reason is stored as written and shown escaped by `history`', async () => {
    const ledger = await openLedger(await resolveStateStore(state, {}), { clock: systemClock, random: cryptoRandom });
    const reason = 'bad deploy\u001b]0;owned\u0007\nPASS production';
    await ledger.deployments.start(
      {
        id: 'dep-hostile',
        releaseId,
        service: 'sample-service',
        environment: 'test',
        digest: digest('a'),
        controller: 'codedeploy',
        kind: 'rollback',
        startedBy: 'oncall',
        startedAt: new Date().toISOString(),
        outcome: 'in-progress',
        reason,
      },
      'oncall',
    );
    expect(
      (await ledger.deployments.list({ service: 'sample-service' })).find((d) => d.id === 'dep-hostile')?.reason,
    ).toBe(reason);
    const run = await shipgate(
      '--config',
      join(dir, 'shipgate.yaml'),
      '--state',
      state,
      'history',
      'test',
      '--service',
      'sample-service',
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('reason: bad deploy\\x1b]0;owned\\x07\\nPASS production');
    expect(run.out).not.toMatch(/[\u001b\u0007]/);
    expect(run.out.split('\n').some((line) => line.startsWith('PASS'))).toBe(false);
  });

  it('an error that quotes input shows it escaped (a config problem naming a hostile key)', async () => {
    const file = await config('hostile.yaml', example.replace('services:\n', 'services:\n  "x\\e[31m\\nPASS": {}\n'));
    const run = await shipgate('config', 'validate', '--config', file);
    expect(run.code).toBe(2);
    expect(run.err).toContain('x\\x1b[31m\\nPASS');
    expect(run.err).not.toContain('\u001b');
    expect(run.err.split('\n').some((line) => line.startsWith('PASS'))).toBe(false);
  });
});

describe('workflow inputs (#11.15)', () => {
  it('a rollback workflow input with a newline and a workflow command reaches shipgate as one argument and is refused, never echoed raw', async () => {
    // The rollback workflow's own args, turned into argv by the composite action's own code.
    const workflow = parse(
      await readFile(new URL('../../../.github/workflows/rollback.yml', import.meta.url), 'utf8'),
    ) as {
      jobs: { rollback: { steps: { uses?: string; with?: { args?: string } }[] } };
    };
    const args = workflow.jobs.rollback.steps.find((s) => s.uses === './.github/actions/shipgate')!.with!.args!;
    const action = new URL('../../../.github/actions/shipgate/run-shipgate.mjs', import.meta.url).href;
    const { argvFromLines } = (await import(action)) as {
      argvFromLines: (text: string, env: Record<string, string>) => string[];
    };
    const hostile = 'sample-service\n::add-mask::x\n::error::forged';
    const argv = argvFromLines(args, {
      ENVIRONMENT: 'production',
      SERVICE: hostile,
      TO_RELEASE: '',
      REASON: 'bad\nPASS production',
    });
    expect(argv.filter((a) => a === hostile)).toHaveLength(1);
    const run = await shipgate('--config', join(dir, 'shipgate.yaml'), '--state', state, ...argv);
    expect(run.code).toBe(2);
    expect(run.err).toContain('error USAGE: expected a service name (--service) without control characters');
    expect(run.err.split('\n').some((line) => line.startsWith('::'))).toBe(false);
  });
});

describe('image references (#11.16)', () => {
  it('release create refuses a reference outside the OCI grammar with IMAGE_INVALID, exit 2', async () => {
    const run = await withConfig(
      'release',
      'create',
      '--service',
      'sample-service',
      '--image',
      `Registry.example/API@${digest('b')}`,
    );
    expect(run.code).toBe(2);
    expect(userError(run)).toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('deploy refuses a template whose containers run another image than the release or an unlisted sidecar', async () => {
    const template = JSON.parse(await readFile(exampleTemplate, 'utf8')) as {
      containerDefinitions: Record<string, unknown>[];
    };
    const app = template.containerDefinitions[0]!;
    const sidecar = `registry.example/log-router@${digest('c')}`;
    const cases: [Record<string, unknown>[], string][] = [
      [
        [{ ...app, image: `registry.example/other@${digest('d')}` }],
        `expected the image of "app" to be the release's image`,
      ],
      [
        [app, { name: 'log-router', image: 'registry.example/log-router:latest' }],
        'sidecar container "log-router" to be pinned by digest',
      ],
      [
        [app, { name: 'log-router', image: sidecar }],
        'sidecar container "log-router" to be one listed in services.<service>.sidecarImages',
      ],
    ];
    for (const [containers, message] of cases) {
      await writeFile(join(dir, 'taskdef.json'), JSON.stringify({ ...template, containerDefinitions: containers }));
      const run = await withConfig('deploy', 'test', '--service', 'sample-service', '--release', releaseId);
      expect(run.code, message).toBe(2);
      const error = userError(run);
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(error.message).toContain(message);
    }
    await writeFile(join(dir, 'taskdef.json'), await readFile(exampleTemplate, 'utf8'));
  });
});
