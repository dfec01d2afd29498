import { ShipgateError, type Evidence } from '@shipgate/model';
import { defineCommand } from '../command';
import { dryRunOption } from '../support/dry-run-option';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, recordCiEvidence, requireRelease } from '../support/evidence';
import { loadTarget } from '../support/service-url';

/** `shipgate evidence add`: record QA (JUnit) or stress (k6 summary) results for one release in one environment. */
export const command = defineCommand({
  name: 'evidence add',
  usage:
    'shipgate evidence add <env> --service S --release R (--junit FILE… | --k6-summary FILE [--base-url URL]) [--dry-run]',
  description: [
    'JUnit XML from vitest, jest (jest-junit), pytest, Playwright or Maven Surefire; k6 results from',
    '`k6 run --summary-export FILE` or a handleSummary JSON. Files are parsed safely (no DTDs or entities,',
    'size-limited, streamed) and recorded with their origin, time and content hash, signed by the',
    "environment's CI identity (its KMS key; the rehearsal key under --policy-profile local-rehearsal against",
    'local-cloud). The gate counts the results only while the release was serving in that environment.',
  ].join('\n'),
  examples: [
    'shipgate evidence add staging --service sample-service --release rel-3f9a --junit reports/junit.xml',
    'shipgate evidence add staging --service sample-service --release rel-3f9a --k6-summary summary.json',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: { type: 'string', placeholder: 'R', description: 'Release id (or unique prefix)' },
    junit: {
      type: 'string',
      multiple: true,
      placeholder: 'FILE',
      description: 'JUnit XML report (repeatable: one evidence record per file)',
    },
    'k6-summary': {
      type: 'string',
      placeholder: 'FILE',
      description: 'k6 --summary-export file or handleSummary JSON',
    },
    'base-url': {
      type: 'string',
      placeholder: 'URL',
      description:
        "With --k6-summary: the URL the load was sent to (k6's BASE_URL); it counts as stress only if it is the environment's production listener",
    },
    'dry-run': dryRunOption,
  },
  positionals: [{ name: 'env', required: true, description: 'Environment the tests ran in' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const junit = ctx.values.junit ?? [];
    const k6 = ctx.values['k6-summary'];
    if ((junit.length === 0) === (k6 === undefined)) {
      throw new ShipgateError(
        'USAGE',
        `evidence add: expected exactly one of --junit FILE… or --k6-summary FILE, found ${junit.length ? 'both' : 'neither'}`,
        { hint: 'Record QA and stress results with separate commands.' },
      );
    }
    const gate = await import('@shipgate/promotion-gate');
    const ledger = await ctx.ledger();
    const release = await requireRelease(ledger, ctx.values.release, service.name);
    const origin = await originFor(ctx);
    // Parse everything first: a bad file records nothing.
    const parsed = junit.length
      ? await Promise.all(junit.map(async (file) => ({ file, report: await gate.parseJunit(file) })))
      : [{ file: k6!, report: await gate.readK6Summary(k6!) }];
    // Without --base-url the summary says nothing trustworthy about where the load went: it cannot count as stress.
    const baseUrl = ctx.values['base-url'];
    const where = baseUrl
      ? await loadTarget(loaded, environment.name, service.name, ctx.env, baseUrl)
      : { baseUrl: 'not recorded', listenerOf: undefined };
    const recorded = [];
    for (const { file, report } of parsed) {
      const context = {
        release,
        environment: environment.name,
        origin,
        recordedAt: ctx.clock.now(),
        sourceHash: report.sourceHash,
      };
      const evidence =
        'tests' in report.summary
          ? gate.qaEvidence(report.summary, context)
          : gate.stressEvidence(
              {
                ...report.summary,
                target: where.baseUrl,
                ...(where.listenerOf ? { listenerOf: where.listenerOf } : {}),
              },
              context,
            );
      recorded.push({ file, evidence: await recordCiEvidence(ctx, loaded, ledger, evidence as Evidence<unknown>) });
    }
    const human = recorded
      .map(({ file, evidence }) => {
        const s = evidence.summary as unknown as Record<string, unknown>;
        const what =
          evidence.kind === 'qa'
            ? `${String(s.tests)} tests, ${String(s.failures)} failures, ${String(s.errors)} errors, ${String(s.skipped)} skipped`
            : `${String(s.tool)} ${String(s.format)}, ${(s.thresholds as { passed: boolean }[]).filter((t) => !t.passed).length} failed threshold(s)`;
        return `${ctx.dryRun ? 'would record' : 'recorded'} ${evidence.kind} evidence ${evidence.id} for ${release.id} in ${environment.name} from ${file}: ${what}`;
      })
      .join('\n');
    return { json: { evidence: recorded.map((r) => r.evidence) }, human };
  },
});
