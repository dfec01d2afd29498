import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, requireRelease } from '../support/evidence';

/** `shipgate evidence add`: record QA (JUnit) or stress (k6 summary) results for one release in one environment. */
export const command = defineCommand({
  name: 'evidence add',
  usage: 'shipgate evidence add <env> --service S --release R (--junit FILE… | --k6-summary FILE)',
  description: [
    'JUnit XML from vitest, jest (jest-junit), pytest, Playwright or Maven Surefire; k6 results from',
    '`k6 run --summary-export FILE` or a handleSummary JSON. Files are parsed safely (no DTDs or entities,',
    'size-limited, streamed) and recorded with their origin, time and content hash.',
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
          : gate.stressEvidence(report.summary, context);
      await ledger.evidence.add(evidence, origin.actor);
      recorded.push({ file, evidence });
    }
    const human = recorded
      .map(({ file, evidence }) => {
        const s = evidence.summary as unknown as Record<string, unknown>;
        const what =
          evidence.kind === 'qa'
            ? `${String(s.tests)} tests, ${String(s.failures)} failures, ${String(s.errors)} errors, ${String(s.skipped)} skipped`
            : `${String(s.tool)} ${String(s.format)}, ${(s.thresholds as { passed: boolean }[]).filter((t) => !t.passed).length} failed threshold(s)`;
        return `recorded ${evidence.kind} evidence ${evidence.id} for ${release.id} in ${environment.name} from ${file}: ${what}`;
      })
      .join('\n');
    return { json: { evidence: recorded.map((r) => r.evidence) }, human };
  },
});
