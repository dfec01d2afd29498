// Decides which services the pipeline delivers, as a job matrix: the Nx applications affected between
// NX_BASE and NX_HEAD that shipgate.yaml lists as services; or the one service asked for by name
// (workflow_dispatch input); or, on a manual run without a name, every service.
// Writes `matrix` ({"service":[...]}) and `any` (true/false) to $GITHUB_OUTPUT.
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The service names that shipgate.yaml declares. */
export function configuredServices(configText) {
  const config = parse(configText);
  const services = config?.services;
  if (!services || typeof services !== 'object')
    throw new Error('expected a "services" map in the pipeline configuration, found none');
  return Object.keys(services);
}

/** The services to deliver, in configuration order. */
export function selectServices({ configured, affected, requested, manual }) {
  if (requested) {
    // The name is echoed only once it is known to be a plain name: a value with a newline could
    // otherwise smuggle a workflow command into the log.
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(requested))
      throw new Error(`expected a service name (lower-case letters, digits, dashes), found something else`);
    if (!configured.includes(requested))
      throw new Error(
        `expected a service listed in the configuration (${configured.join(', ')}), found "${requested}"`,
      );
    return [requested];
  }
  if (manual) return [...configured];
  return configured.filter((name) => affected.includes(name));
}

function affectedApps(env) {
  const out = execFileSync(
    'npx',
    [
      '--no-install',
      'nx',
      'show',
      'projects',
      '--affected',
      '--type',
      'app',
      '--json',
      `--base=${env.NX_BASE}`,
      `--head=${env.NX_HEAD}`,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const projects = JSON.parse(out);
  if (!Array.isArray(projects)) throw new Error(`expected a JSON list of projects from nx, found ${out.slice(0, 200)}`);
  return projects;
}

function main() {
  const env = process.env;
  const configured = configuredServices(readFileSync(env.SHIPGATE_CONFIG || 'shipgate.yaml', 'utf8'));
  const requested = (env.REQUESTED_SERVICE ?? '').trim();
  const manual = env.EVENT_NAME === 'workflow_dispatch';
  const affected = requested || manual ? [] : affectedApps(env);
  const services = selectServices({ configured, affected, requested, manual });
  const matrix = JSON.stringify({ service: services });
  console.log(`services to deliver: ${services.length ? services.join(', ') : '(none)'}`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `matrix=${matrix}\nany=${services.length > 0}\n`);
  if (env.GITHUB_STEP_SUMMARY) {
    appendFileSync(
      env.GITHUB_STEP_SUMMARY,
      `### Services to deliver\n\n${services.length ? services.map((s) => `- \`${s}\``).join('\n') : 'None changed.'}\n`,
    );
  }
}

try {
  if (process.argv[1] === fileURLToPath(import.meta.url)) main();
} catch (error) {
  console.error(`::error title=changed services::${error.message}`);
  process.exitCode = 2;
}
