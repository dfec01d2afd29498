import { resolve } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { originFor, recordCiEvidence, requireRelease, servingRelease } from '../support/evidence';
import { loadTarget } from '../support/service-url';
import { wouldRun } from '../support/would-run';
import { runAutocannon } from '../support/autocannon';

/** `shipgate stress`: run the service's k6 stress script against an environment and record the results. */
export const command = defineCommand({
  name: 'stress',
  usage:
    'shipgate stress <env> --service S [--release R] [--script F] [--tool k6|autocannon] [--base-url URL] [--dry-run]',
  description: [
    'Bundles the TypeScript k6 script with esbuild and runs `k6 run` (from PATH or K6_BINARY) with BASE_URL and',
    'RELEASE_ID; PEAK_VUS, DURATION and STRESS_PATHS from your environment pass through to the script. The',
    "summary is recorded with its provenance (script hash, k6 version, duration, target). k6's own output goes to",
    'stderr as "k6 | …", also under --json (stdout stays JSON). A k6 that stops without a run (exit codes other',
    "than 0 and 99) is LOAD_TEST_FAILED, exit 3, with its last lines. The summary's numbers are range-checked and its",
    'threshold verdicts recomputed. Without k6 installed nothing is recorded. --tool autocannon generates the load in-process instead; its evidence is labelled',
    'autocannon and counts only where a policy (or a --policy-profile) accepts that tool. --dry-run shows the run',
    'and what it would record, and runs nothing.',
  ].join('\n'),
  examples: [
    'shipgate stress staging --service sample-service',
    'PEAK_VUS=50 DURATION=5m shipgate stress staging --service sample-service --script loadtests/src/stress.ts',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service (as named in shipgate.yaml)' },
    release: {
      type: 'string',
      placeholder: 'R',
      description: 'Release under test (default: the one serving in the environment)',
    },
    script: { type: 'string', placeholder: 'F', description: 'k6 script (default: services.<S>.loadTests.stress)' },
    tool: { type: 'string', placeholder: 'k6|autocannon', default: 'k6', description: 'Load generator' },
    'base-url': { type: 'string', placeholder: 'URL', description: 'Override the URL under test' },
    duration: {
      type: 'string',
      placeholder: 'SECONDS',
      default: '20',
      description: 'autocannon only: run length in seconds',
    },
    connections: {
      type: 'string',
      placeholder: 'N',
      default: '20',
      description: 'autocannon only: concurrent connections (its peak VUs)',
    },
    'dry-run': {
      type: 'boolean',
      description:
        'Check everything, then show the load run (k6 arguments, URL, summary file) and what it would record; run nothing',
    },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to load' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const tool = ctx.values.tool;
    if (tool !== 'k6' && tool !== 'autocannon')
      throw new ShipgateError('USAGE', `expected --tool k6 or autocannon, found "${tool}"`);
    const ledger = await ctx.ledger();
    const release = ctx.values.release
      ? await requireRelease(ledger, ctx.values.release, service.name)
      : await servingRelease(ledger, service.name, environment.name);
    if (!release) {
      throw new ShipgateError(
        'RELEASE_NOT_FOUND',
        `expected a release serving ${service.name} in ${environment.name}, found none in the ledger`,
        { hint: `Deploy one first or pass --release R.` },
      );
    }
    // Recorded, signed: whether the load went to this environment's own production listener (#12.4).
    const where = await loadTarget(loaded, environment.name, service.name, ctx.env, ctx.values['base-url']);
    const baseUrl = where.baseUrl;
    const onListener = where.listenerOf !== undefined;
    const gate = await import('@shipgate/promotion-gate');
    const releaseCheck =
      loaded.config.environments[environment.name]?.promotion?.stress?.releaseCheck ??
      Object.values(loaded.config.environments).find((e) => e.promotion?.stress)?.promotion?.stress?.releaseCheck ??
      'serves the release under test';
    let summary;
    let sourceHash: string | undefined;
    let provenance: Record<string, unknown>;
    if (tool === 'k6') {
      const scriptPath = ctx.values.script ?? service.loadTests.stress;
      if (!scriptPath)
        throw new ShipgateError(
          'USAGE',
          `expected --script or services.${service.name}.loadTests.stress in shipgate.yaml, found neither`,
        );
      const script = resolve(ctx.values.script ? ctx.cwd : loaded.dir, scriptPath);
      const binary = await gate.findK6(ctx.env); // fails with TOOL_NOT_INSTALLED and install instructions before anything runs
      const scriptEnv = Object.fromEntries(
        ['PEAK_VUS', 'DURATION', 'STRESS_PATHS'].filter((k) => ctx.env[k]).map((k) => [k, ctx.env[k]!]),
      );
      if (ctx.dryRun) {
        const args = gate.k6RunArguments(
          { baseUrl, releaseId: release.id, scriptEnv },
          '<temp>/script.bundle.js',
          '<temp>/summary-export.json',
        );
        return wouldRun(ledger, 'stress', release.id, environment.name, {
          run: `${binary} ${args.join(' ')}`,
          script,
          target: baseUrl,
          report: '<temp>/summary-export.json (k6 --summary-export, in a temporary directory)',
        });
      }
      ctx.progress(`stress: k6 run ${scriptPath} against ${baseUrl} (release ${release.id})`);
      const result = await gate.runK6({
        script,
        baseUrl,
        releaseId: release.id,
        scriptEnv,
        env: ctx.env,
        clock: ctx.clock,
        onOutput: (line) => ctx.toolOutput(`k6 | ${line}`),
      });
      summary = result.summary;
      sourceHash = result.sourceHash;
      provenance = { ...result.provenance };
    } else {
      const seconds = Number(ctx.values.duration);
      const connections = Number(ctx.values.connections);
      if (!(seconds > 0 && seconds <= 3600))
        throw new ShipgateError('USAGE', `expected --duration in seconds (1-3600), found "${ctx.values.duration}"`);
      if (!(Number.isInteger(connections) && connections > 0 && connections <= 1000))
        throw new ShipgateError('USAGE', `expected --connections 1-1000, found "${ctx.values.connections}"`);
      const url = new URL(service.releasePath, baseUrl).toString();
      if (ctx.dryRun)
        return wouldRun(ledger, 'stress', release.id, environment.name, {
          run: `autocannon (in-process): ${connections} connections for ${seconds} s`,
          target: url,
          report: 'none (autocannon reports in memory)',
        });
      ctx.progress(
        `stress: autocannon, ${connections} connections for ${seconds} s against ${baseUrl}${service.releasePath} (release ${release.id}); evidence is labelled autocannon, not k6`,
      );
      const run = await runAutocannon({
        url,
        releaseId: release.id,
        seconds,
        connections,
        onTick: (line) => ctx.progress(`  ${line}`),
      });
      summary = gate.fromAutocannon(run.result, { releaseCheck, target: baseUrl });
      provenance = { tool: 'autocannon', toolVersion: run.version, durationMs: run.durationMs, target: baseUrl };
    }
    const origin = await originFor(ctx, {
      tool: summary.tool,
      ...(typeof provenance.k6Version === 'string'
        ? { toolVersion: provenance.k6Version }
        : typeof provenance.toolVersion === 'string'
          ? { toolVersion: provenance.toolVersion }
          : {}),
    });
    const target = { target: baseUrl, ...(onListener ? { listenerOf: environment.name } : {}) };
    const evidence = gate.stressEvidence({ ...summary, ...target, provenance } as typeof summary, {
      release,
      environment: environment.name,
      origin,
      recordedAt: ctx.clock.now(),
      ...(sourceHash ? { sourceHash } : {}),
    });
    const signed = await recordCiEvidence(ctx, loaded, ledger, evidence);
    const failedThresholds = summary.thresholds.filter((t) => !t.passed).length;
    return {
      exitCode: failedThresholds > 0 ? 1 : 0,
      json: { evidence: signed },
      human: `stress (${summary.tool}) in ${environment.name}: ${gate.describeStressRun(summary)}; recorded ${signed.id} for ${release.id}, signed by ${environment.name}'s CI identity${onListener ? '' : ` (not ${environment.name}'s listener: it will not count as its stress evidence)`}`,
    };
  },
});
