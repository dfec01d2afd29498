import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { renderTable } from '../render/table';
import { requireEnvironment, requireService } from '../support/config';
import { seedTargetFor } from '../support/database';

/** `shipgate data verify`: scan a whole database for real-looking personal data; exit 1 listing each finding. */
export const command = defineCommand({
  name: 'data verify',
  usage: 'shipgate data verify <env> --service S [--database-url URL]',
  description: [
    'Scans every table and every text-like column of the database (all schemas), streaming, with six detectors:',
    'email addresses outside reserved domains, phone numbers outside fictional ranges, payment card numbers',
    "(Luhn, a network's range; documented test numbers allowed), US SSNs, IBANs with a valid checksum, and values",
    "of the service's dataset columns that their declared generator could not have made. Reports what it",
    'checked (tables, columns, rows) and each finding per column with its row key and a masked sample. Exit 1',
    'when anything is found.',
  ].join('\n'),
  examples: [
    'shipgate data verify staging --service sample-service',
    'shipgate data verify test --service sample-service --json',
  ],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: "Service whose dataset's generators its columns are also checked against",
    },
    'database-url': {
      type: 'string',
      placeholder: 'URL',
      description:
        "postgres://, mysql:// or mariadb:// server to scan (default: the environment's database setting, else PGlite)",
    },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to scan' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const target = seedTargetFor(ctx, loaded, environment.name, ctx.values['database-url']);
    const { verifySynthetic, loadDataset } = await import('@shipgate/seeding');
    const dataset = service.seed
      ? await loadDataset(resolve(loaded.dir, service.seed.dataset), { exportName: service.seed.export })
      : undefined;
    if (target.kind === 'pglite' && target.dataDir && !existsSync(target.dataDir)) {
      throw new ShipgateError(
        'DATABASE_UNREACHABLE',
        `expected the embedded database of ${environment.name} at ${target.dataDir}, found none (nothing seeded there yet)`,
        {
          hint: `Seed it first: shipgate seed ${environment.name} --service ${service.name} --migrate, or pass --database-url.`,
        },
      );
    }
    const report = await verifySynthetic({ target, ...(dataset ? { dataset } : {}) });
    const ledger = await ctx.ledger();
    await ledger.audit.append({
      actor: await ctx.actor(),
      action: 'data.verify',
      subject: { service: service.name, environment: environment.name },
      details: {
        clean: report.clean,
        summary: report.summary,
        columnsChecked: report.columnsChecked,
        rowsScanned: report.rowsScanned,
        findings: report.findings.map((f) => ({
          schema: f.schema,
          table: f.table,
          column: f.column,
          detector: f.detector,
          count: f.count,
        })),
      },
    });
    const human = [
      `${environment.name}: ${report.summary}`,
      ...(report.clean
        ? []
        : [
            renderTable(
              ['table', 'column', 'detector', 'count', 'samples (row key: masked value)'],
              report.findings.map((f) => [
                `${f.schema}.${f.table}`,
                f.column,
                f.detector,
                String(f.count),
                f.samples.map((s) => `${s.rowKey}: ${s.value}`).join('; '),
              ]),
            ),
          ]),
    ].join('\n');
    return { exitCode: report.clean ? 0 : 1, json: report, human };
  },
});
