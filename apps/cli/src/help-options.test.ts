import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandSpec } from './command';
import { globalOptionSpecs } from './global-options';
import { main } from './main';
import { captureOutput } from './render/output';
import { commands, findCommand } from './registry';

// #11 item 19: every option that a help text, a hint or a `shipgate <command> --option` mention in the
// sources names must exist on that command (or be global). Help texts come from the real CLI (main()).
const repo = new URL('../../../', import.meta.url).pathname;
const specs = new Map<string, CommandSpec>();
const global = new Set(Object.keys(globalOptionSpecs));

beforeAll(async () => {
  for (const entry of commands) specs.set(entry.name, (await entry.load()).command);
});

async function shipgate(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** Programs whose flags are theirs, not shipgate's: their options are not checked. */
const otherTools = new Set([
  'aws',
  'k6',
  'npx',
  'npm',
  'node',
  'vitest',
  'jest',
  'pytest',
  'playwright',
  'git',
  'ssh-keygen',
]);

type Owner = { command: string } | 'any' | 'skip';

interface Named {
  owner: Owner;
  option: string;
  where: string;
  text: string;
}

/**
 * The options a text names, each with the command it belongs to: the command of the nearest `shipgate
 * <words>` before it in the same phrase (a phrase ends at a quote, a backtick, a newline or `;`), or the
 * `fallback` owner when there is none. Options after `--` or after another program's name are not ours.
 */
export function optionsNamed(text: string, fallback: Owner, where: string): Named[] {
  const named: Named[] = [];
  for (const phrase of text.split(/[`'"\n;]|\\n/)) {
    let owner: Owner = fallback;
    const tokens = phrase.split(/\s+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token === 'shipgate') {
        const words: string[] = [];
        for (let j = i + 1; j < tokens.length && words.length < 3 && /^[a-z][a-z-]*$/.test(tokens[j]!); j++)
          words.push(tokens[j]!);
        const found = findCommand(words);
        owner = found ? { command: found.entry.name } : words.length ? 'skip' : 'any';
        continue;
      }
      if (token === '--' || otherTools.has(token.replace(/^[[(]+/, ''))) {
        owner = 'skip';
        continue;
      }
      const option = /^[[(]*--([a-z][a-z0-9-]*)/.exec(token)?.[1];
      if (option && owner !== 'skip') named.push({ owner, option, where, text: phrase.trim() });
    }
  }
  return named;
}

function problems(named: Named[]): string[] {
  return named.flatMap(({ owner, option, where, text }) => {
    if (global.has(option) || (owner === 'any' && option === 'version')) return [];
    if (owner === 'skip') return [];
    if (owner === 'any') {
      return [...specs.values()].some((s) => option in s.options)
        ? []
        : [`${where}: --${option} exists on no command ("${text}")`];
    }
    const spec = specs.get(owner.command)!;
    return option in spec.options ? [] : [`${where}: \`shipgate ${owner.command}\` has no --${option} ("${text}")`];
  });
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '__fixtures__', 'bench', 'testing'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.ts$/.test(entry.name) && !/\.(test|bench)\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

/** The text of each `hint: '…'` (or "…", or `…`) in a source file. */
function hints(source: string): string[] {
  return [...source.matchAll(/hint:\s*(?:[^'"`,}]*\?\s*)?(['"`])((?:\\.|(?!\1)[\s\S])*)\1/g)].map((m) => m[2]!);
}

describe('every option named in help and hints exists (#11.19)', () => {
  it('finds the options this test is about in sample texts (the parser itself)', () => {
    expect(
      optionsNamed('record it with `shipgate evidence add --kind qa` or pass --release R', 'any', 'x').map((n) => [
        n.owner,
        n.option,
      ]),
    ).toEqual([
      [{ command: 'evidence add' }, 'kind'],
      ['any', 'release'],
    ]);
    expect(optionsNamed('shipgate qa staging -- npx vitest run --config f.ts', 'any', 'x')).toEqual([]);
    expect(problems(optionsNamed('raise the limit with --max-evidence-bytes', 'any', 'x'))).toHaveLength(1);
    expect(problems(optionsNamed('npx shipgate stress staging --profile x', 'skip', 'x'))).toEqual([
      'x: `shipgate stress` has no --profile ("npx shipgate stress staging --profile x")',
    ]);
  });

  it('in `shipgate --help` and in every `shipgate <command> --help`', async () => {
    const found: string[] = [];
    const general = await shipgate('--help');
    expect(general.code).toBe(0);
    found.push(...problems(optionsNamed(general.out, 'any', 'shipgate --help')));
    for (const entry of commands) {
      const help = await shipgate(...entry.name.split(' '), '--help');
      expect(help.code, entry.name).toBe(0);
      found.push(...problems(optionsNamed(help.out, { command: entry.name }, `shipgate ${entry.name} --help`)));
    }
    expect(found).toEqual([]);
  });

  it('in every hint and every `shipgate <command> --option` mention in the sources of apps/ and libs/', async () => {
    const files = [...(await sourceFiles(join(repo, 'apps'))), ...(await sourceFiles(join(repo, 'libs')))];
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    let hintCount = 0;
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      const where = relative(repo, file);
      for (const hint of hints(source)) {
        hintCount++;
        found.push(...problems(optionsNamed(hint, 'any', `${where} (hint)`)));
      }
      found.push(...problems(optionsNamed(source, 'skip', where)));
    }
    expect(hintCount).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it('in every `shipgate <command> --option` of README.md and docs/', async () => {
    const docs = (await readdir(join(repo, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => join(repo, 'docs', f));
    const found: string[] = [];
    for (const file of [join(repo, 'README.md'), ...docs])
      found.push(...problems(optionsNamed(await readFile(file, 'utf8'), 'skip', relative(repo, file))));
    expect(found).toEqual([]);
  });
});
