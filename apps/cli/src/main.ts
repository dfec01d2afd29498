import { parseArgs } from 'node:util';
import {
  ExitCode,
  ShipgateError,
  didYouMean,
  escapeForTerminal,
  isShipgateError,
  jsonForTerminal,
  ownValue,
  systemClock,
} from '@shipgate/model/core';
import type { CommandSpec, OptionValues } from './command';
import { createBaseContext } from './context';
import { globalOptionSpecs, resolveGlobalOptions } from './global-options';
import { completeOptionValues } from './option-values';
import { suggestOption } from './suggest-option';
import { commandHelp, generalHelp, groupCommands, groupHelp, version } from './help';
import { commands, findCommand } from './registry';
import { renderError } from './render/render-error';
import { withHeldWrites } from './render/render-held-writes';
import { createOutput, type Output } from './render/output';

/** Wiring only: parse, build the context, run, render, map the outcome or error to an exit code. */
export async function main(argv: string[], io: Output = createOutput(process)): Promise<number> {
  const json = argv.includes('--json');
  try {
    return await run(argv, io);
  } catch (error) {
    return report(error, json, io);
  }
}

async function run(argv: string[], io: Output): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const topic = argv[0] === 'help' ? findCommand(argv.slice(1)) : undefined;
    if (topic) {
      io.stdout(commandHelp((await topic.entry.load()).command, topic.entry) + '\n');
      return ExitCode.ok;
    }
    if (argv[0] === 'help' && argv[1] && groupCommands(argv[1]).length) {
      io.stdout(groupHelp(argv[1]) + '\n');
      return ExitCode.ok;
    }
    io.stdout(generalHelp() + '\n');
    return ExitCode.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout(argv.includes('--json') ? JSON.stringify({ version }) + '\n' : `shipgate ${version}\n`);
    return ExitCode.ok;
  }
  const words = leadingWords(argv);
  const found = findCommand(words);
  if (!found && words.length === 0 && (argv.includes('--version') || argv.includes('-V'))) {
    io.stdout(argv.includes('--json') ? JSON.stringify({ version }) + '\n' : `shipgate ${version}\n`);
    return ExitCode.ok;
  }
  if (!found && words.length === 0 && (argv.includes('--help') || argv.includes('-h'))) {
    io.stdout(generalHelp() + '\n');
    return ExitCode.ok;
  }
  const group = !found && words[0] ? groupCommands(words[0]) : [];
  if (!found && group.length) {
    // A group without (or with an unknown) subcommand: its list, as help (exit 0) when asked, else a usage error.
    if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
      io.stdout(groupHelp(words[0]!) + '\n');
      return ExitCode.ok;
    }
    const subcommands = group.map((c) => c.name.slice(words[0]!.length + 1));
    const given = words[1];
    const suggestion = given ? didYouMean(given, subcommands) : undefined;
    throw new ShipgateError(
      'USAGE',
      `expected a subcommand of \`shipgate ${words[0]}\` (${subcommands.join(', ')}), found ${given ? `"${given}"` : 'none'}`,
      {
        hint: suggestion
          ? `Did you mean \`shipgate ${words[0]} ${suggestion}\`? Run \`shipgate ${words[0]} --help\` for the list.`
          : `Run \`shipgate ${words[0]} --help\` for the list, e.g. \`shipgate ${group[0]!.name} --help\`.`,
      },
    );
  }
  if (!found) {
    const attempted = words.slice(0, 2).join(' ') || argv[0] || '';
    const suggestion =
      didYouMean(
        attempted,
        commands.map((c) => c.name),
      ) ??
      didYouMean(
        words[0] ?? '',
        commands.map((c) => c.name.split(' ')[0]!),
      );
    throw new ShipgateError(
      'USAGE',
      `unknown command "${attempted}"; expected one of: ${[...new Set(commands.map((c) => c.name.split(' ')[0]))].join(', ')}`,
      {
        hint: suggestion
          ? `Did you mean \`shipgate ${suggestion}\`? Run \`shipgate --help\` for the list.`
          : 'Run `shipgate --help` for the list of commands.',
      },
    );
  }
  const spec = (await found.entry.load()).command;
  const tokens = removeCommandWords(argv, spec.name.split(' '));
  const dashDash = tokens.indexOf('--');
  const parseable = dashDash >= 0 ? tokens.slice(0, dashDash) : tokens;
  const passthrough = dashDash >= 0 ? tokens.slice(dashDash + 1) : [];
  if (passthrough.length && !spec.allowRest) {
    throw new ShipgateError(
      'USAGE',
      `\`shipgate ${spec.name}\` takes no arguments after --, found: ${passthrough.join(' ')}`,
      { hint: `Run \`shipgate ${spec.name} --help\`.` },
    );
  }
  const parsed = parseCommandArgs(spec, parseable);
  if (parsed.values.help === true) {
    io.stdout(commandHelp(spec, found.entry) + '\n');
    return ExitCode.ok;
  }
  const global = resolveGlobalOptions(parsed.values, process.env);
  checkPositionals(spec, parsed.positionals);
  const ctx = {
    ...createBaseContext({
      positionals: parsed.positionals,
      rest: passthrough,
      global,
      cwd: process.cwd(),
      env: process.env,
      clock: systemClock,
      io,
      dryRun: parsed.values['dry-run'] === true,
    }),
    // parseArgs ran on the command's own declarations, completed above: the values have its types.
    values: parsed.values as OptionValues<typeof spec.options>,
  };
  let ran;
  try {
    ran = await spec.run(ctx);
  } catch (error) {
    // A command that failed half-way still wrote entries: checkpoint them, but report its own error.
    await ctx.sealAudit().catch(() => undefined);
    throw error;
  }
  await ctx.sealAudit();
  // Every command's dry run ends the same way: the ledger writes it held back, listed with their place.
  const outcome = ctx.heldWrites().length ? withHeldWrites(ran, ctx.heldWrites()) : ran;
  if (global.json) io.stdout(jsonForTerminal(outcome.json) + '\n');
  else if (outcome.human) {
    // Renderers escape each recorded value; this keeps any escape sequence they missed off the terminal (#11.15).
    const human = escapeForTerminal(outcome.human, { keepLayout: true });
    io.stdout(human.endsWith('\n') ? human : human + '\n');
  }
  return outcome.exitCode ?? ExitCode.ok;
}

function leadingWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (token.startsWith('-')) {
      const name = token.replace(/^--?/, '').split('=')[0]!;
      const spec = ownValue(globalOptionSpecs as Record<string, { type: string }>, name);
      if (spec?.type === 'string' && !token.includes('=')) i++;
      continue;
    }
    words.push(token);
    if (words.length === 3) break;
  }
  return words;
}

function removeCommandWords(argv: string[], words: string[]): string[] {
  const out: string[] = [];
  let next = 0;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (next < words.length && token === words[next]) {
      next++;
      continue;
    }
    if (token.startsWith('-') && next < words.length) {
      const name = token.replace(/^--?/, '').split('=')[0]!;
      const spec = ownValue(globalOptionSpecs as Record<string, { type: string }>, name);
      out.push(token);
      if (spec?.type === 'string' && !token.includes('=') && i + 1 < argv.length) out.push(argv[++i]!);
      continue;
    }
    out.push(token);
  }
  return out;
}

function parseCommandArgs(spec: CommandSpec, tokens: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries({ ...globalOptionSpecs, ...spec.options })) {
    options[name] = {
      type: o.type,
      ...('short' in o && o.short ? { short: o.short } : {}),
      ...('multiple' in o && o.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const parsed = parseArgs({ args: tokens, options, allowPositionals: true, strict: true });
    const values = completeOptionValues(spec.options, parsed.values);
    return { values, positionals: parsed.positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const suggestion = unknown ? suggestOption(unknown, Object.keys(options)) : undefined;
    throw new ShipgateError(
      'USAGE',
      `${spec.name}: ${message.replace(/\. To specify a positional argument.*$/s, '')}`,
      {
        hint: suggestion
          ? `Did you mean --${suggestion}? Run \`shipgate ${spec.name} --help\`.`
          : `Run \`shipgate ${spec.name} --help\` for its options.`,
      },
    );
  }
}

function checkPositionals(spec: CommandSpec, positionals: string[]): void {
  const declared = spec.positionals ?? [];
  const required = declared.filter((p) => p.required);
  if (positionals.length < required.length) {
    const missing = required
      .slice(positionals.length)
      .map((p) => `<${p.name}>`)
      .join(' ');
    throw new ShipgateError('USAGE', `${spec.name}: missing ${missing}; expected: ${spec.usage}`, {
      hint: `For example: ${spec.examples[0] ?? spec.usage}`,
    });
  }
  if (positionals.length > declared.length) {
    throw new ShipgateError(
      'USAGE',
      `${spec.name}: unexpected argument "${positionals[declared.length]}"; expected: ${spec.usage}`,
      { hint: `Run \`shipgate ${spec.name} --help\`.` },
    );
  }
}

function report(error: unknown, json: boolean, io: Output): number {
  if (isShipgateError(error)) {
    if (json) io.stdout(jsonForTerminal({ error: (error as ShipgateError).toJSON() }) + '\n');
    io.stderr(renderError(error as ShipgateError) + '\n');
    return (error as ShipgateError).exitCode;
  }
  const bug = error instanceof Error ? error : new Error(String(error));
  if (json)
    io.stdout(jsonForTerminal({ error: { code: 'INTERNAL', message: bug.message, source: 'internal' } }) + '\n');
  io.stderr(
    `error INTERNAL: this is a bug in shipgate, not something you did.\n${escapeForTerminal(bug.stack ?? bug.message, { keepLayout: true })}\nPlease report it with the output above.\n`,
  );
  return ExitCode.internal;
}
