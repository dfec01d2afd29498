import { ShipgateError } from '@shipgate/model';
import type { ParityReport } from '@shipgate/infra';
import { defineCommand } from '../command';
import { renderTable } from '../render/table';
import { requireEnvironment } from '../support/config';
import { computeParity } from '../support/parity';

/** The parity report for people: the counts, then every difference with both values. */
export function renderParity(report: ParityReport): string {
  const [a, b] = report.environments;
  const head = `${report.service}: ${a} ↔ ${b}: ${report.unexpected} unexpected, ${report.expected} expected difference(s)${report.liveCompared ? '' : `; live ${report.liveNote}`}`;
  if (!report.differences.length) return `${head} (parity)`;
  return [
    head,
    renderTable(
      ['setting', 'source', a, b, 'expected'],
      report.differences.map((d) => [d.setting, d.source, d.a, d.b, d.expected ? `yes: ${d.expected}` : 'NO']),
    ),
  ].join('\n');
}

/** `shipgate diff <a> <b>`: are two environments alike, declared and live? */
export const command = defineCommand({
  name: 'diff',
  usage: 'shipgate diff <env> <env> [--service S] [--declared-only] [--json]',
  description: [
    'Compares two environments (staging and production, say) for one service, as declared in shipgate.yaml and as',
    'they run (through the AWS SDK): task definition (everything but the image and the variables that name the',
    'release; secrets by their ARN, never their value), CPU and memory, desired count, health check, deregistration',
    'delay, deployment controller and configuration, waits, alarms, and the settings promotion relies on. Names,',
    'ports and ARNs that differ only by the environment name are alike. Differences the config expects are listed',
    'under parity.expect (setting → reason); any other difference exits 1.',
  ].join('\n'),
  examples: [
    'shipgate diff staging production --service sample-service',
    'shipgate diff staging production --declared-only --json',
  ],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'Only this service (default: every service both environments deploy)',
    },
    'declared-only': { type: 'boolean', description: 'Compare shipgate.yaml only; read nothing from AWS' },
  },
  positionals: [
    { name: 'environment', required: true, description: 'The first environment, e.g. staging' },
    { name: 'other', required: true, description: 'The second environment, e.g. production' },
  ],
  async run(ctx) {
    const loaded = await ctx.config();
    const a = requireEnvironment(loaded, ctx.positionals[0]);
    const b = requireEnvironment(loaded, ctx.positionals[1]);
    if (a.name === b.name) {
      throw new ShipgateError('USAGE', `diff: expected two different environments, found ${a.name} twice`, {
        hint: `For example: shipgate diff staging production`,
      });
    }
    const shared = Object.keys(a.services).filter((s) => s in b.services);
    const services = ctx.values.service ? [ctx.values.service] : shared;
    const reports: ParityReport[] = [];
    for (const service of services)
      reports.push(await computeParity(ctx, loaded, service, [a.name, b.name], { live: !ctx.values['declared-only'] }));
    const unexpected = reports.reduce((n, r) => n + r.unexpected, 0);
    return {
      exitCode: unexpected ? 1 : 0,
      json: { environments: [a.name, b.name], parity: unexpected === 0, services: reports },
      human: reports.map(renderParity).join('\n\n'),
    };
  },
});
