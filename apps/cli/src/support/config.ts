import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  ShipgateError,
  applyProfile,
  configSizeProblem,
  listNames,
  ownValue,
  requireIdentifier,
  validateConfigText,
  type EnvironmentConfig,
  type ServiceConfig,
  type ShipgateConfig,
} from '@shipgate/model';
import type { CommandContext } from '../command';

/** A validated config and where it was read from (paths in it are relative to its directory). */
export interface LoadedConfig {
  config: ShipgateConfig;
  file: string;
  dir: string;
  /** The policy profile applied, if any. */
  profile?: string;
  /** sha256 (hex) of the file's bytes: recorded in every decision taken under it. */
  digest: string;
}

/** Reads and validates the config named by --config; every problem at once, exit 2. */
export async function loadConfig(ctx: Pick<CommandContext, 'global' | 'cwd'>): Promise<LoadedConfig> {
  const file = resolve(ctx.cwd, ctx.global.config);
  let text: string;
  try {
    // The size is checked before reading, so that a runaway file is refused without loading it (#11.14).
    const handle = await open(file, 'r');
    try {
      const tooLarge = configSizeProblem((await handle.stat()).size);
      if (tooLarge) {
        throw new ShipgateError('CONFIG_TOO_LARGE', `${ctx.global.config}: ${tooLarge.message}`, {
          location: { file: ctx.global.config },
          ...(tooLarge.hint ? { hint: tooLarge.hint } : {}),
        });
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ShipgateError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShipgateError(
      'CONFIG_NOT_FOUND',
      `expected a pipeline configuration at ${ctx.global.config}, found ${code === 'ENOENT' ? 'no such file' : `an unreadable file (${code})`}`,
      {
        location: { file: ctx.global.config },
        hint: 'Pass --config <file>, or run from the directory that holds shipgate.yaml.',
      },
    );
  }
  const result = validateConfigText(text);
  if (!result.ok) {
    const first = result.problems[0]!;
    throw new ShipgateError(
      first.code === 'CONFIG_SYNTAX' || first.code === 'CONFIG_TOO_LARGE' ? first.code : 'CONFIG_INVALID',
      `${ctx.global.config} has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`,
      {
        location: { file: ctx.global.config, ...(first.line !== undefined ? { line: first.line } : {}) },
        problems: result.problems.map((p) => ({ ...p, path: p.path ?? '' })),
        hint: `Fix them and run \`shipgate config validate --config ${ctx.global.config}\` again.`,
      },
    );
  }
  return {
    config: applyProfile(result.config, ctx.global.profile),
    file,
    dir: dirname(file),
    digest: createHash('sha256').update(text, 'utf8').digest('hex'),
    ...(ctx.global.profile ? { profile: ctx.global.profile } : {}),
  };
}

/** The configured service, or a clear error naming the ones that exist. */
export function requireService(loaded: LoadedConfig, name: string | undefined): ServiceConfig & { name: string } {
  const names = Object.keys(loaded.config.services);
  if (!name) {
    if (names.length === 1) return { ...loaded.config.services[names[0]!]!, name: names[0]! };
    throw new ShipgateError('USAGE', `expected --service <name>, found none (configured: ${listNames(names)})`, {
      hint: `Add --service ${names[0] ?? '<name>'}.`,
    });
  }
  requireIdentifier(name, 'a service name (--service)');
  // Own properties only: `--service constructor` must not find Object's constructor (#11.13).
  const service = ownValue(loaded.config.services, name);
  if (!service) {
    throw new ShipgateError(
      'UNKNOWN_SERVICE',
      `expected one of the configured services (${listNames(names)}), found "${name}"`,
      {
        location: { file: loaded.file, path: 'services' },
        hint: 'Check the spelling, or declare the service under `services` in shipgate.yaml.',
      },
    );
  }
  return { ...service, name };
}

/** The configured environment, or a clear error naming the ones that exist. */
export function requireEnvironment(
  loaded: LoadedConfig,
  name: string | undefined,
): EnvironmentConfig & { name: string } {
  const names = Object.keys(loaded.config.environments);
  requireIdentifier(name, 'an environment name');
  // Own properties only: `gate constructor` must not find Object's constructor and pass (#11.13).
  const environment = name ? ownValue(loaded.config.environments, name) : undefined;
  if (!name || !environment) {
    throw new ShipgateError(
      'UNKNOWN_ENVIRONMENT',
      `expected one of the configured environments (${listNames(names)}), found ${name ? `"${name}"` : 'none'}`,
      { location: { file: loaded.file, path: 'environments' }, hint: `For example: ${names[0] ?? 'test'}.` },
    );
  }
  return { ...environment, name };
}
