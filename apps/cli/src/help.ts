import type { CommandEntry, CommandSpec } from './command';
import { globalOptionSpecs } from './global-options';
import { commands } from './registry';

declare const SHIPGATE_VERSION: string;

/** The version, injected at build time (falls back when run from source in tests). */
export const version: string = typeof SHIPGATE_VERSION === 'string' ? SHIPGATE_VERSION : '0.0.0-dev';

/** `shipgate --help`: every command with an example, the global options, the exit codes. */
export function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    `shipgate ${version}: deploy pipeline and environment promotion for services on AWS ECS`,
    '',
    'Usage: shipgate <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${' '.repeat(width)}  e.g. ${c.example}`),
    '',
    'Global options:',
    ...formatOptions(globalOptionSpecs),
    '',
    exitCodeTable(),
    '',
    "Run `shipgate <command> --help` for a command's options and examples.",
  ];
  return lines.join('\n');
}

/** `shipgate <command> --help`: the summary and headline example come from the registry entry, as in `--help`. */
export function commandHelp(spec: CommandSpec, entry: Pick<CommandEntry, 'summary' | 'example'>): string {
  const lines = [`shipgate ${spec.name}: ${entry.summary}`, '', `Usage: ${spec.usage}`];
  if (spec.description) lines.push('', spec.description);
  if (spec.positionals?.length) {
    lines.push('', 'Arguments:');
    for (const p of spec.positionals)
      lines.push(`  ${(p.required ? `<${p.name}>` : `[${p.name}]`).padEnd(24)}  ${p.description}`);
  }
  if (Object.keys(spec.options).length) lines.push('', 'Options:', ...formatOptions(spec.options));
  lines.push('', 'Global options:', ...formatOptions(globalOptionSpecs));
  const examples = [entry.example, ...spec.examples.filter((e) => e !== entry.example)];
  lines.push('', 'Examples:', ...examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

function formatOptions(
  options: Record<
    string,
    { type: string; short?: string; placeholder?: string; description: string; multiple?: boolean }
  >,
): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.placeholder ?? 'value'}>` : ''}${o.multiple ? '…' : ''}`;
    return `  ${flag.padEnd(34)}  ${o.description}`;
  });
}

/** The documented exit codes (also in README). */
export function exitCodeTable(): string {
  return [
    'Exit codes:',
    '  0  success',
    '  1  blocked or failed (a gate said no, a deploy failed, a check found problems)',
    '  2  usage or configuration error (fix the command line or shipgate.yaml)',
    '  3  infrastructure error (AWS, database, network, ledger storage)',
    '  4  internal error (a bug in shipgate: please report it)',
  ].join('\n');
}
