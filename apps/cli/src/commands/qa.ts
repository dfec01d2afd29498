import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, recordCiEvidence, requireRelease, servingRelease } from '../support/evidence';
import { serviceUrl } from '../support/service-url';
import { wouldRun } from '../support/would-run';

/** `shipgate qa`: run any QA command against an environment and record the JUnit report it writes. */
export const command = defineCommand({
  name: 'qa',
  usage: 'shipgate qa <env> --service S [--release R] [--junit FILE] [--base-url URL] [--dry-run] -- <command…>',
  description: [
    "The command runs without a shell, with BASE_URL and SHIPGATE_BASE_URL (the environment's production listener), RELEASE_ID,",
    'SHIPGATE_ENVIRONMENT and JUNIT_OUTPUT (where it must write JUnit XML) in its environment. The report is',
    "recorded as QA evidence for the release serving there (or --release), with the command's exit code: a",
    'command that exits non-zero never passes the gate, whatever its report says. A report last written before',
    'the run started (left from an earlier run) is refused. Exit 1 when tests failed or the command exited non-zero.',
  ].join('\n'),
  examples: [
    'shipgate qa staging --service sample-service -- npx vitest run --config apps/sample-service/qa/vitest.qa.config.ts',
    'shipgate qa test --service api --junit reports/junit.xml -- npx playwright test',
  ],
  allowRest: true,
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: {
      type: 'string',
      placeholder: 'R',
      description: 'Release under test (default: the one serving in the environment)',
    },
    junit: {
      type: 'string',
      placeholder: 'FILE',
      description: 'Where the command writes JUnit XML (default: a temporary file passed as JUNIT_OUTPUT)',
    },
    'base-url': { type: 'string', placeholder: 'URL', description: 'Override the URL under test' },
    'dry-run': {
      type: 'boolean',
      description: 'Check everything, then show the command, URL, report path and what it would record; run nothing',
    },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to test' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    if (ctx.rest.length === 0) {
      throw new ShipgateError('USAGE', 'qa: expected a command after --, found none', {
        hint: 'For example: shipgate qa staging --service api -- npx vitest run',
      });
    }
    const ledger = await ctx.ledger();
    const release = ctx.values.release
      ? await requireRelease(ledger, ctx.values.release, service.name)
      : await servingRelease(ledger, service.name, environment.name);
    if (!release) {
      throw new ShipgateError(
        'RELEASE_NOT_FOUND',
        `expected a release serving ${service.name} in ${environment.name}, found none in the ledger`,
        { hint: `Deploy one first (shipgate deploy ${environment.name} …) or pass --release R.` },
      );
    }
    const baseUrl = ctx.values['base-url'] ?? (await serviceUrl(loaded, environment.name, service.name, ctx.env));
    if (ctx.dryRun)
      return wouldRun(ledger, 'qa', release.id, environment.name, {
        run: ctx.rest.join(' '),
        target: baseUrl,
        report: ctx.values.junit
          ? resolve(ctx.cwd, ctx.values.junit)
          : 'JUnit XML at $JUNIT_OUTPUT (a temporary file shipgate creates)',
      });
    const scratch = await mkdtemp(join(tmpdir(), 'shipgate-qa-'));
    const junit = ctx.values.junit ? resolve(ctx.cwd, ctx.values.junit) : join(scratch, 'junit.xml');
    try {
      ctx.progress(`qa: running \`${ctx.rest.join(' ')}\` against ${baseUrl} (release ${release.id})`);
      const started = ctx.clock.now().getTime();
      // The run's start by the file system's clock, the clock the report's modification time is read by.
      const marker = join(scratch, 'run-started');
      await writeFile(marker, '');
      const runStartedMs = (await stat(marker)).mtimeMs;
      const exitCode = await runCommand(
        ctx.rest,
        {
          ...ctx.env,
          BASE_URL: baseUrl,
          SHIPGATE_BASE_URL: baseUrl,
          RELEASE_ID: release.id,
          SHIPGATE_ENVIRONMENT: environment.name,
          SHIPGATE_SERVICE: service.name,
          JUNIT_OUTPUT: junit,
        },
        ctx.cwd,
        ctx.global.json,
      );
      const durationMs = ctx.clock.now().getTime() - started;
      const written = await stat(junit).then(
        (s) => (s.size > 0 ? s : undefined),
        () => undefined,
      );
      if (!written) {
        throw new ShipgateError(
          'QA_RUN_FAILED',
          `expected the QA command to write a JUnit report to ${junit}, found ${exitCode === 127 ? 'that the command could not be started' : 'no report'} (command exit code ${exitCode})`,
          {
            hint: 'Make the runner write JUnit XML to $JUNIT_OUTPUT (vitest --reporter=junit --outputFile=$JUNIT_OUTPUT, jest-junit, pytest --junitxml), or pass --junit with its path.',
          },
        );
      }
      const gate = await import('@shipgate/promotion-gate');
      const report = await gate.parseJunit(junit);
      const origin = await originFor(ctx);
      const evidence = gate.qaRunEvidence(
        report.summary,
        { exitCode, startedMs: runStartedMs, report: { path: junit, modifiedMs: written.mtimeMs } },
        { release, environment: environment.name, origin, recordedAt: ctx.clock.now(), sourceHash: report.sourceHash },
      );
      const signed = await recordCiEvidence(ctx, loaded, ledger, evidence);
      const s = report.summary;
      const failed = s.failures + s.errors > 0 || exitCode !== 0;
      return {
        exitCode: failed ? 1 : 0,
        json: { evidence: signed, commandExitCode: exitCode, durationMs, baseUrl },
        human: `qa ${failed ? 'FAILED' : 'passed'} in ${environment.name}: ${s.tests} tests, ${s.passed} passed, ${s.failures} failures, ${s.errors} errors, ${s.skipped} skipped (command exit ${exitCode}); recorded ${signed.id} for ${release.id}, signed by ${environment.name}'s CI identity`,
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
});

/** Runs argv without a shell; under --json its stdout goes to our stderr so that stdout stays JSON. */
function runCommand(argv: string[], env: NodeJS.ProcessEnv, cwd: string, json: boolean): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'] });
    child.stdout?.pipe(process.stderr);
    child.on('error', () => resolveExit(127));
    child.on('close', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)));
  });
}
