// Runs `npx shipgate` for the composite action without a shell: the `args` input arrives in an
// environment variable, is split here into argv, and values that came from outside the workflow
// (inputs, branch names, reasons) are only ever substituted whole from environment variables, so
// no character in them can become a flag, a second argument or a shell command.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)(\?)?$/;

function valueOf(env, name) {
  const value = env[name] ?? '';
  if (value === '') throw new Error(`expected environment variable ${name} (named in args) to be set, found it empty`);
  return value;
}

/**
 * Turns the `args` text into argv. Each line is split at whitespace; `#` starts a comment line. A word
 * `$NAME` becomes the value of environment variable NAME as exactly one argument, and `${NAME}` inside
 * a word is replaced by it (NAME must be set and non-empty either way); a word `$NAME?` drops its whole
 * line when NAME is empty (for optional flags). Values are never split or interpreted.
 */
export function argvFromLines(text, env) {
  const argv = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = [];
    let dropLine = false;
    for (const word of line.split(/\s+/)) {
      const m = variable.exec(word);
      if (m && m[2] === '?') {
        const value = env[m[1]] ?? '';
        if (value === '') dropLine = true;
        else words.push(value);
      } else if (m) {
        words.push(valueOf(env, m[1]));
      } else {
        const parts = word.split(/(\$\{[A-Za-z_][A-Za-z0-9_]*\})/);
        const literal = parts.filter((_, i) => i % 2 === 0).join('');
        if (literal.includes('$'))
          throw new Error(`expected "$NAME", "$NAME?" or "\${NAME}" where args use "$", found "${word}"`);
        words.push(parts.map((part, i) => (i % 2 === 1 ? valueOf(env, part.slice(2, -1)) : part)).join(''));
      }
    }
    if (!dropLine) argv.push(...words);
  }
  if (argv.length === 0) throw new Error('expected a shipgate command in args, found none');
  return argv;
}

/** The global options every call carries: configuration, ledger location, JSON output. */
export function globalArgv(env) {
  const argv = ['--json'];
  if (env.SHIPGATE_ACTION_CONFIG) argv.push('--config', env.SHIPGATE_ACTION_CONFIG);
  if (env.SHIPGATE_ACTION_STATE) argv.push('--state', env.SHIPGATE_ACTION_STATE);
  return argv;
}

/** Writes a step output; a random delimiter keeps the value from closing the heredoc early. */
function setOutput(file, name, value) {
  if (!file) return;
  const delimiter = `shipgate_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

async function main() {
  const env = process.env;
  let argv;
  try {
    argv = [...globalArgv(env), ...argvFromLines(env.SHIPGATE_ACTION_ARGS ?? '', env)];
  } catch (error) {
    process.stderr.write(`::error title=shipgate action::${error.message}\n`);
    setOutput(env.GITHUB_OUTPUT, 'exit-code', '2');
    process.exitCode = 2;
    return;
  }
  const chunks = [];
  const child = spawn('npx', ['--no-install', 'shipgate', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    chunks.push(chunk);
    process.stdout.write(chunk);
  });
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`::error title=shipgate action::could not start npx shipgate: ${error.message}\n`);
      resolve(4);
    });
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 4 : 0)));
  });
  const json = Buffer.concat(chunks).toString('utf8').trim();
  setOutput(env.GITHUB_OUTPUT, 'json', json === '' ? '{}' : json);
  setOutput(env.GITHUB_OUTPUT, 'exit-code', String(code));
  process.exitCode = code;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
