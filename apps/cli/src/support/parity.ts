import { resolveServiceTarget } from '@shipgate/model';
import type { ParityReport } from '@shipgate/infra';
import type { BaseContext } from '../command';
import type { LoadedConfig } from './config';
import { readTaskTemplates } from './task-templates';

/**
 * Parity of one service between two environments: declared (shipgate.yaml) always, live (through the
 * SDK) unless `live` is false. `shipgate diff`, the gate's parity requirement and the rehearsal use it.
 */
export async function computeParity(
  ctx: Pick<BaseContext, 'aws' | 'progress'>,
  loaded: LoadedConfig,
  service: string,
  environments: [string, string],
  options: { live: boolean },
): Promise<ParityReport> {
  const infra = await import('@shipgate/infra');
  const templates = await readTaskTemplates(loaded);
  const targets = environments.map((e) => resolveServiceTarget(loaded.config, e, service)) as [
    ReturnType<typeof resolveServiceTarget>,
    ReturnType<typeof resolveServiceTarget>,
  ];
  const declared = infra.declaredParity(loaded.config, service, environments, templates);
  if (!options.live)
    return infra.parityReport(service, environments, declared, { note: 'not compared (--declared-only)' });
  const { readLiveSubject } = await import('@shipgate/infra/aws');
  const subjects = [];
  for (const target of targets) {
    ctx.progress(`reading ${service} in ${target.environment}`);
    const clients = await ctx.aws(target.region);
    const read = await readLiveSubject(clients, target, { environment: target.environment, service });
    if ('missing' in read) {
      return infra.parityReport(service, environments, declared, {
        note: `${read.missing} does not exist in ${target.environment} (run \`shipgate bootstrap ${target.environment}\` or deploy its stack)`,
      });
    }
    subjects.push(read.subject);
  }
  const live = infra.liveParity(
    loaded.config,
    service,
    subjects as [(typeof subjects)[0], (typeof subjects)[0]],
    templates,
  );
  return infra.parityReport(service, environments, declared, live);
}
