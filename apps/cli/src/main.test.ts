import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import { captureOutput } from './render/output';
import { commands } from './registry';

const exampleConfig = new URL('../../../shipgate.yaml', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function shipgate(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('shipgate (CLI wiring)', () => {
  it('lists every command with an example in --help', async () => {
    const { code, out } = await shipgate('--help');
    expect(code).toBe(0);
    for (const c of commands) {
      expect(out).toContain(c.name);
      expect(out).toContain(c.example);
    }
    expect(out).toContain('Exit codes:');
  });

  it('shows per-command help with usage and examples for every command', async () => {
    for (const c of commands) {
      const { code, out } = await shipgate(...c.name.split(' '), '--help');
      expect(code, c.name).toBe(0);
      expect(out).toContain('Usage: shipgate');
      expect(out).toContain('Examples:');
    }
  });

  // #11 item 22: one summary and one headline example per command, whichever help shows it.
  it('shows the same summary and example in `shipgate --help` and in `shipgate X --help`, for every command (#11.22)', async () => {
    const general = (await shipgate('--help')).out.split('\n');
    const listing = general.slice(general.indexOf('Commands:') + 1, general.indexOf('Global options:') - 1);
    // "  <name padded>  <summary>" then "  <spaces>  e.g. <example>".
    const listed = new Map<string, { summary: string; example: string }>();
    for (let i = 0; i < listing.length; i += 2) {
      const [, name, summary] = /^ {2}(\S.*?) {2,}(\S.*)$/.exec(listing[i]!)!;
      listed.set(name!, { summary: summary!, example: listing[i + 1]!.trim().replace(/^e\.g\. /, '') });
    }
    expect([...listed.keys()].sort()).toEqual(commands.map((c) => c.name).sort());
    const mismatches: string[] = [];
    for (const [name, { summary, example }] of listed) {
      const { code, out } = await shipgate(...name.split(' '), '--help');
      expect(code, name).toBe(0);
      const own = out.split('\n')[0]!.replace(`shipgate ${name}: `, '');
      if (own !== summary) mismatches.push(`${name}: "${summary}" vs "${own}"`);
      const examples = out
        .slice(out.indexOf('Examples:'))
        .split('\n')
        .slice(1)
        .map((line) => line.trim());
      if (examples[0] !== example) mismatches.push(`${name}: example "${example}" vs "${examples[0]}"`);
    }
    expect(mismatches).toEqual([]);
  });

  it('prints the version', async () => {
    const { code, out } = await shipgate('--version');
    expect(code).toBe(0);
    expect(out).toMatch(/^shipgate \d+\.\d+\.\d+/);
  });

  it('refuses an unknown command with a suggestion and exit 2', async () => {
    const { code, err } = await shipgate('relase', 'list');
    expect(code).toBe(2);
    expect(err).toContain('error USAGE');
    expect(err).toContain('Did you mean `shipgate release list`?');
    expect(err).not.toMatch(/\n\s+at /); // no stack trace for a user error
  });

  it('refuses an unknown flag with a did-you-mean hint', async () => {
    const { code, err } = await shipgate('config', 'validate', '--confg', exampleConfig);
    expect(code).toBe(2);
    expect(err).toContain("Unknown option '--confg'");
    expect(err).toContain('Did you mean --config?');
  });

  it('validates the example config, in text and JSON', async () => {
    const text = await shipgate('config', 'validate', '--config', exampleConfig);
    expect(text.code).toBe(0);
    expect(text.out).toContain('test → staging → production');
    const json = await shipgate('--json', 'config', 'validate', '--config', exampleConfig);
    expect(JSON.parse(json.out)).toMatchObject({ valid: true, environments: ['test', 'staging', 'production'] });
  });

  it('reports every config problem with path and line, exit 2, and JSON with --json', async () => {
    const broken = (await readFile(exampleConfig, 'utf8'))
      .replace('containerPort: 8080', 'containerPort: eighty')
      .replace('from: staging', 'from: stagin');
    const file = join(dir, 'broken.yaml');
    await writeFile(file, broken);
    const text = await shipgate('config', 'validate', '--config', file);
    expect(text.code).toBe(2);
    expect(text.err).toContain('has 2 problems');
    expect(text.err).toContain('services.sample-service.containerPort');
    expect(text.err).toContain('environments.production.promotion.from');
    const json = await shipgate('config', 'validate', '--config', file, '--json');
    expect(json.code).toBe(2);
    const body = JSON.parse(json.out) as { error: { code: string; problems: { path: string; line: number }[] } };
    expect(body.error.code).toBe('CONFIG_INVALID');
    expect(body.error.problems.map((p) => p.path).sort()).toEqual([
      'environments.production.promotion.from',
      'services.sample-service.containerPort',
    ]);
    expect(body.error.problems.every((p) => p.line > 0)).toBe(true);
  });

  it('says clearly when the config file is missing', async () => {
    const { code, err } = await shipgate('plan', '--config', join(dir, 'nope.yaml'));
    expect(code).toBe(2);
    expect(err).toContain('error CONFIG_NOT_FOUND');
    expect(err).toContain('no such file');
  });

  it('prints the pipeline plan', async () => {
    const { code, out } = await shipgate('plan', '--config', exampleConfig);
    expect(code).toBe(0);
    expect(out).toContain('Pipeline of shipgate-demo: test → staging → production');
  });
});
