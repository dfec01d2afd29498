import { validateAction, validateWorkflow } from '@action-validator/core';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The GitHub workflows carry the promises of DESIGN.md into CI: production only after staging's gate
// and stress, one deploy per environment at a time, least privilege, no injection. Each check below is
// a function returning the problems it finds, run on the real files (expecting none) and on a bad
// snippet (expecting the problem), so that a check that can never fail would show.

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  permissions?: string | Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  strategy?: { matrix?: unknown };
  secrets?: string | Record<string, string>;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
}
interface Workflow {
  on: Record<string, { inputs?: Record<string, { type?: string; required?: boolean; options?: string[] }> } | null>;
  permissions?: string | Record<string, string>;
  jobs: Record<string, Job>;
}

const root = new URL('..', import.meta.url);
const workflowDir = new URL('.github/workflows/', root);
const actionFile = new URL('.github/actions/shipgate/action.yml', root);
const sources: Record<string, string> = Object.fromEntries(
  readdirSync(workflowDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => [f, readFileSync(new URL(f, workflowDir), 'utf8')]),
);
const workflows: Record<string, Workflow> = Object.fromEntries(
  Object.entries(sources).map(([f, text]) => [f, parse(text) as Workflow]),
);
const actionSource = readFileSync(actionFile, 'utf8');
const action = parse(actionSource) as { runs: { steps: Step[] } };
const setupActionSource = readFileSync(new URL('.github/actions/setup/action.yml', root), 'utf8');
const setupAction = parse(setupActionSource) as { runs: { steps: Step[] } };
const wf = (file: string): Workflow => workflows[file] ?? expect.fail(`expected .github/workflows/${file}`);
const yamlDoc = (text: string) => parse(text) as Workflow;

const environmentOf = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);
const needsOf = (job: Job) => (job.needs === undefined ? [] : typeof job.needs === 'string' ? [job.needs] : job.needs);
const groupOf = (job: Job) => (typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group);

/** The shipgate command words of a step that runs the composite action (`deploy production`, …). */
function shipgateCommand(step: Step): string | undefined {
  if (step.uses !== './.github/actions/shipgate') return undefined;
  const first = String(step.with?.args ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  return first
    ?.split(/\s+/)
    .filter((w) => !w.startsWith('-'))
    .join(' ');
}
const commandsOf = (job: Job) => (job.steps ?? []).map(shipgateCommand).filter((c): c is string => c !== undefined);

// ---------- the checks ----------

/** Every `uses:` that is not local is pinned to a 40-hex commit with its version in a comment. */
function pinningProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const m = /^\s*(?:-\s*)?uses:\s*([^\s#]+)\s*(?:#\s*(\S+))?/.exec(line);
    if (!m || m[1]!.startsWith('./')) continue;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(m[1]!))
      problems.push(`line ${i + 1}: ${m[1]} is not pinned to a full commit SHA`);
    else if (!/^v\d/.test(m[2] ?? ''))
      problems.push(`line ${i + 1}: ${m[1]} has no "# vX.Y.Z" comment naming its version`);
  }
  return problems;
}

/** No expression of outside origin is pasted into a shell script; values go through env. */
function injectionProblems(steps: Step[], where: string): string[] {
  const problems: string[] = [];
  for (const step of steps) {
    if (typeof step.run !== 'string') continue;
    for (const m of step.run.matchAll(/\$\{\{([^}]*)\}\}/g)) {
      const expr = m[1]!.trim();
      const untrusted = /\b(github\.event|inputs|github\.head_ref|matrix|needs|steps|env|vars|secrets)\b/.test(expr);
      problems.push(
        `${where} step "${step.name ?? step.run.slice(0, 30)}": \${{ ${expr} }} inside run:${untrusted ? ' (untrusted or secret)' : ''}; pass it through env:`,
      );
    }
  }
  return problems;
}

const allowedScopes: Record<string, { value: string; needed: (job: Job) => boolean; why: string }> = {
  contents: { value: 'read', needed: () => true, why: 'checkout' },
  'id-token': {
    value: 'write',
    needed: (job) => (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
    why: 'AWS role assumption',
  },
  actions: {
    value: 'read',
    needed: (job) => commandsOf(job).some((c) => c.startsWith('approvals import')),
    why: 'approvals import',
  },
};

/** Least privilege: workflow default read-only or none; each job exactly the scopes its steps use. */
function permissionProblems(
  workflow: Workflow,
  file: string,
  called: (path: string) => Workflow | undefined,
): string[] {
  const problems: string[] = [];
  const top = workflow.permissions;
  if (top === undefined) problems.push(`${file}: no workflow-level permissions (the default token is too broad)`);
  else if (typeof top === 'string' || Object.entries(top).some(([k, v]) => !(k === 'contents' && v === 'read')))
    problems.push(`${file}: workflow-level permissions must be {} or { contents: read }, found ${JSON.stringify(top)}`);
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const granted = job.permissions;
    if (granted === undefined || typeof granted === 'string') {
      problems.push(`${file} job ${id}: permissions must be an explicit map, found ${JSON.stringify(granted)}`);
      continue;
    }
    // A job that calls a reusable workflow must grant exactly what the called jobs use, no more.
    const target = job.uses?.startsWith('./') ? called(job.uses) : undefined;
    const callee = target ? Object.values(target.jobs) : [job];
    for (const [scope, value] of Object.entries(granted)) {
      const rule = allowedScopes[scope];
      if (!rule || rule.value !== value) problems.push(`${file} job ${id}: ${scope}: ${value} is never needed here`);
      else if (!callee.some(rule.needed))
        problems.push(`${file} job ${id}: ${scope}: ${value} granted without ${rule.why}`);
    }
    for (const [scope, rule] of Object.entries(allowedScopes)) {
      if (scope !== 'contents' && callee.some(rule.needed) && granted[scope] !== rule.value)
        problems.push(`${file} job ${id}: ${rule.why} needs ${scope}: ${rule.value}`);
    }
  }
  return problems;
}

/** AWS credentials only by OIDC role assumption, the role taken from a variable. */
function awsCredentialProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (!step.uses?.startsWith('aws-actions/configure-aws-credentials@')) continue;
      const inputs = step.with ?? {};
      if ('aws-access-key-id' in inputs || 'aws-secret-access-key' in inputs)
        problems.push(`${file} job ${id}: stored AWS keys; assume a role through OIDC`);
      if (!/^\$\{\{\s*vars\.[A-Z_]+\s*\}\}$/.test(String(inputs['role-to-assume'] ?? '')))
        problems.push(`${file} job ${id}: role-to-assume must come from a repository or environment variable`);
    }
  }
  return problems;
}

/** Every job that deploys or rolls back holds `shipgate-<env>-<service>` and queues (no cancel). */
function concurrencyProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const changes = commandsOf(job).filter((c) => /^(deploy|rollback) /.test(c));
    if (changes.length === 0) continue;
    const env = environmentOf(job);
    const expected = changes[0]!.startsWith('rollback')
      ? 'shipgate-${{ inputs.environment }}-${{ inputs.service }}'
      : `shipgate-${env}-\${{ inputs.service }}`;
    const target = changes[0]!.split(' ')[1];
    if (!changes[0]!.startsWith('rollback') && target !== env)
      problems.push(`${file} job ${id}: deploys to ${target} but names environment ${env}`);
    if (groupOf(job) !== expected)
      problems.push(`${file} job ${id}: concurrency group must be ${expected}, found ${groupOf(job)}`);
    const cancel = typeof job.concurrency === 'object' ? job.concurrency['cancel-in-progress'] : undefined;
    if (cancel !== false)
      problems.push(`${file} job ${id}: cancel-in-progress must be false (deploys queue, never cancel one another)`);
  }
  return problems;
}

/** Production runs only after staging's gate and stress, and imports approvals before its own gate. */
function promotionOrderProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  const jobs = workflow.jobs;
  const byEnv = (name: string) => Object.entries(jobs).filter(([, j]) => environmentOf(j) === name);
  const production = byEnv('production')[0];
  const stagingJobs = byEnv('staging');
  if (!production) return [`${file}: no job names the production environment`];
  if (stagingJobs.length === 0) return [`${file}: no job names the staging environment`];
  const upstream = (id: string, seen = new Set<string>()): Set<string> => {
    for (const n of needsOf(jobs[id] ?? {})) {
      if (seen.has(n)) continue;
      seen.add(n);
      upstream(n, seen);
    }
    return seen;
  };
  const beforeProduction = upstream(production[0]);
  for (const [id] of stagingJobs)
    if (!beforeProduction.has(id))
      problems.push(`${file}: production job ${production[0]} does not need staging job ${id}`);
  // Staging's jobs in the order their needs impose, and their shipgate commands in that order.
  const ordered = [...stagingJobs].sort(([a], [b]) => (upstream(b).has(a) ? -1 : upstream(a).has(b) ? 1 : 0));
  const order = (cmds: string[], wanted: string[]) => {
    const at = wanted.map((w) => cmds.findIndex((c) => c.startsWith(w)));
    return at.every((i) => i >= 0) && at.every((i, k) => k === 0 || i > at[k - 1]!);
  };
  const stagingCommands = ordered.flatMap(([, j]) => commandsOf(j));
  const stagingRuns = ordered.flatMap(([, j]) => (j.steps ?? []).map((st) => st.run ?? ''));
  if (
    !order(stagingCommands, ['gate staging', 'deploy staging', 'evidence add staging']) ||
    !stagingRuns.some((r) => /\bnx run "?\$\{?SERVICE\}?:qa/.test(r)) ||
    !stagingRuns.some((r) => /\bk6 run\b/.test(r))
  )
    problems.push(`${file}: staging must gate, deploy, run QA and k6 stress, then record their evidence`);
  if (!order(commandsOf(production[1]), ['approvals import production', 'gate production', 'deploy production']))
    problems.push(`${file}: production must import approvals, gate, then deploy`);
  return problems;
}

const assumesRole = (job: Job) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
const roleOf = (job: Job) =>
  (job.steps ?? []).find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.['role-to-assume'];
/** A step that runs the repository's own test code: QA through nx, k6 scripts, or shipgate qa/stress (which run them). */
const runsRepositoryCode = (step: Step) =>
  /\bnx run\b[^\n]*:qa\b|\bk6 run\b/.test(step.run ?? '') || /^(qa|stress) /.test(shipgateCommand(step) ?? '');

/**
 * Least privilege (#12.8): a job that runs repository code holds no OIDC token, assumes no role, writes
 * nothing to the ledger and reads no secret; evidence is recorded (and signed) only in a job that runs no
 * repository code, with the evidence role, from reports handed over as artifacts.
 */
function leastPrivilegeProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const steps = job.steps ?? [];
    const code = steps.filter(runsRepositoryCode);
    const granted = typeof job.permissions === 'object' ? job.permissions : {};
    if (code.length) {
      const what = `${file} job ${id} runs repository code (${code.map((st) => st.name ?? st.run).join(', ')})`;
      if (granted['id-token']) problems.push(`${what} but may request an OIDC token`);
      if (assumesRole(job)) problems.push(`${what} but assumes an AWS role`);
      if (steps.some((st) => shipgateCommand(st))) problems.push(`${what} and writes the ledger`);
      if (JSON.stringify(job).includes('secrets.')) problems.push(`${what} and reads a secret`);
    }
    const records = commandsOf(job).filter((c) => c.startsWith('evidence add'));
    if (records.length) {
      if (code.length) problems.push(`${file} job ${id} records evidence in the job that produced it`);
      if (roleOf(job) !== '${{ vars.AWS_EVIDENCE_ROLE_ARN }}')
        problems.push(`${file} job ${id} records evidence without the evidence role, found ${String(roleOf(job))}`);
      if (!steps.some((st) => st.uses?.startsWith('actions/download-artifact@')))
        problems.push(`${file} job ${id} records evidence it did not receive from a tests job`);
    }
    if (job.secrets === 'inherit')
      problems.push(`${file} job ${id}: secrets: inherit hands every secret to the called workflow`);
  }
  return problems;
}

/** Dependencies are installed (./.github/actions/setup or npm ci) before any role; never after one. */
function installOrderProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  const installs = (s: Step) => s.uses === './.github/actions/setup' || /\bnpm (ci|install|i)\b/.test(s.run ?? '');
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const steps = job.steps ?? [];
    const role = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    if (role < 0) continue;
    const install = steps.findIndex(installs);
    const usesNode = steps.some((s) => shipgateCommand(s) || /\bnpx\b/.test(s.run ?? ''));
    if (usesNode && (install < 0 || install > role))
      problems.push(`${file} job ${id}: dependencies must be installed before the role is assumed (step ${role + 1})`);
    steps.slice(role + 1).forEach((s, i) => {
      if (installs(s)) problems.push(`${file} job ${id}: step ${role + i + 2} installs dependencies after the role`);
    });
  }
  return problems;
}

/**
 * The release's authors come from the commits, never from whoever merged: `release create` reads them
 * itself, from the push's range (`--commits BEFORE..SHA`, both from the push event), and no `--author`
 * from anywhere else is added.
 */
function authorProblems(workflow: Workflow, file: string): string[] {
  const problems: string[] = [];
  if (/GITHUB_ACTOR|github\.actor|github\.triggering_actor/.test(JSON.stringify(workflow)))
    problems.push(`${file}: names the actor who triggered the run (GITHUB_ACTOR / github.actor)`);
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (shipgateCommand(step) !== 'release create') continue;
      const args = String(step.with?.args ?? '');
      if (/--author\b/.test(args)) problems.push(`${file} job ${id}: release create must not pass --author`);
      const variable = /--commits \$([A-Z_]+)/.exec(args)?.[1];
      const source = variable ? step.env?.[variable] : undefined;
      const fromPush =
        /^\$\{\{ github\.event\.before( \|\| '0{40}')? \}\}\.\.\$\{\{ github\.sha \}\}$/.test(source ?? '') &&
        /--git-sha \$([A-Z_]+)/.test(args) &&
        step.env?.[/--git-sha \$([A-Z_]+)/.exec(args)![1]!] === '${{ github.sha }}';
      if (!fromPush)
        problems.push(
          `${file} job ${id}: release create must pass --git-sha \${{ github.sha }} and --commits \${{ github.event.before }}..\${{ github.sha }}, found ${source ?? 'no --commits'}`,
        );
    }
  }
  return problems;
}

// ---------- the real files ----------

const deliverPath = (path: string) => (path === './.github/workflows/deliver.yml' ? wf('deliver.yml') : undefined);

describe('every workflow and the composite action', () => {
  it('are valid by the published schemas (action-validator)', () => {
    expect(Object.keys(sources).sort()).toEqual(['ci.yml', 'deliver.yml', 'pipeline.yml', 'rollback.yml']);
    for (const [file, text] of Object.entries(sources))
      expect({ file, errors: validateWorkflow(text).errors }).toEqual({ file, errors: [] });
    expect(validateAction(actionSource).errors).toEqual([]);
    expect(validateAction(setupActionSource).errors).toEqual([]);
  });

  it('pin every third-party action to a commit, with its version', () => {
    for (const text of [...Object.values(sources), actionSource, setupActionSource])
      expect(pinningProblems(text)).toEqual([]);
  });

  it('never paste an expression into a shell script', () => {
    for (const [file, w] of Object.entries(workflows))
      for (const [id, job] of Object.entries(w.jobs))
        expect(injectionProblems(job.steps ?? [], `${file}/${id}`)).toEqual([]);
    expect(injectionProblems(action.runs.steps, 'action.yml')).toEqual([]);
    expect(injectionProblems(setupAction.runs.steps, 'setup/action.yml')).toEqual([]);
  });

  it('grant each job only the permissions its steps use', () => {
    for (const [file, w] of Object.entries(workflows)) expect(permissionProblems(w, file, deliverPath)).toEqual([]);
  });

  it('reach AWS only by OIDC role assumption', () => {
    for (const [file, w] of Object.entries(workflows)) expect(awsCredentialProblems(w, file)).toEqual([]);
    const assuming = Object.values(wf('deliver.yml').jobs).filter((j) =>
      j.steps?.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
    );
    // build, the deploy jobs of test, staging and production, and the evidence jobs of test and staging.
    expect(assuming).toHaveLength(6);
  });

  it('keep repository code away from credentials, the ledger and signing; no secrets: inherit (#12.8)', () => {
    for (const [file, w] of Object.entries(workflows)) expect(leastPrivilegeProblems(w, file)).toEqual([]);
    const deliver = wf('deliver.yml');
    // QA and k6 do run, in their own jobs, and their reports reach the evidence jobs.
    const codeJobs = Object.entries(deliver.jobs).filter(([, j]) => (j.steps ?? []).some(runsRepositoryCode));
    expect(codeJobs.map(([id]) => id)).toEqual(['test-tests', 'staging-tests']);
    for (const env of ['test', 'staging']) expect(needsOf(deliver.jobs[`${env}-evidence`]!)).toContain(`${env}-tests`);
    expect(wf('pipeline.yml').jobs.deliver!.secrets).toBeUndefined();
  });

  it('install dependencies before any role is assumed; the shipgate action installs nothing (#12.8)', () => {
    for (const [file, w] of Object.entries(workflows)) expect(installOrderProblems(w, file)).toEqual([]);
    const installing = action.runs.steps.filter(
      (st) => /\bnpm (ci|install|i)\b/.test(st.run ?? '') || st.uses?.startsWith('actions/setup-node@'),
    );
    expect(installing).toEqual([]);
    expect(setupAction.runs.steps.some((st) => st.run?.includes('npm ci --no-audit --no-fund --ignore-scripts'))).toBe(
      true,
    );
  });

  it('take the release’s authors from the commits, never from whoever merged (#12.8)', () => {
    for (const [file, w] of Object.entries(workflows)) expect(authorProblems(w, file)).toEqual([]);
    expect(commandsOf(wf('deliver.yml').jobs.build!)).toEqual(['release create']);
  });

  it('queue deploys and rollbacks per environment and service', () => {
    for (const [file, w] of Object.entries(workflows)) expect(concurrencyProblems(w, file)).toEqual([]);
    const groups = Object.values(wf('deliver.yml').jobs).map(groupOf).filter(Boolean);
    expect(groups).toEqual([
      'shipgate-test-${{ inputs.service }}',
      'shipgate-staging-${{ inputs.service }}',
      'shipgate-production-${{ inputs.service }}',
    ]);
    // The rollback group, for each environment it offers, is the group of that environment's deploys.
    const rollback = wf('rollback.yml');
    const options = rollback.on.workflow_dispatch?.inputs?.environment?.options ?? [];
    expect(options.sort()).toEqual(['production', 'staging', 'test']);
    for (const env of options)
      expect(groups).toContain(groupOf(rollback.jobs.rollback!)!.replace('${{ inputs.environment }}', env));
  });

  it('let production run only after staging’s gate and stress, behind the production environment', () => {
    const deliver = wf('deliver.yml');
    expect(promotionOrderProblems(deliver, 'deliver.yml')).toEqual([]);
    expect(environmentOf(deliver.jobs.production!)).toBe('production');
    // Every environment job deploys the release built once, passed on through job outputs.
    for (const id of ['test', 'staging', 'production'])
      expect(deliver.jobs[id]!.env).toMatchObject({ RELEASE: '${{ needs.build.outputs.release }}' });
    expect(deliver.jobs.build!.outputs).toMatchObject({
      release: '${{ fromJSON(steps.release.outputs.json).release.id }}',
    });
  });
});

describe('the pipeline', () => {
  it('runs on pushes to main and by hand, and delivers each changed service through deliver.yml', () => {
    const pipeline = wf('pipeline.yml');
    expect(pipeline.on.push).toEqual({ branches: ['main'] });
    expect(pipeline.on).toHaveProperty('workflow_dispatch');
    const deliver = pipeline.jobs.deliver!;
    expect(deliver.uses).toBe('./.github/workflows/deliver.yml');
    expect(deliver.needs).toBe('changes');
    expect(deliver.strategy?.matrix).toBe('${{ fromJSON(needs.changes.outputs.matrix) }}');
    expect(pipeline.jobs.changes!.steps!.some((s) => s.run?.includes('changed-services.mjs'))).toBe(true);
  });

  it('keeps the ledger in S3 so that jobs on different runners share it', () => {
    expect(parse(sources['deliver.yml']!).env.SHIPGATE_LEDGER).toMatch(
      /^s3:\/\/\$\{\{ vars\.SHIPGATE_STATE_BUCKET \}\}\//,
    );
    for (const job of Object.values(wf('deliver.yml').jobs))
      for (const step of job.steps ?? [])
        if (shipgateCommand(step)) expect(step.with?.state).toBe('${{ env.SHIPGATE_LEDGER }}');
    // Rollback reads and writes the same ledger as the deploys.
    expect(wf('rollback.yml').jobs.rollback!.env?.SHIPGATE_LEDGER).toBe(
      parse(sources['deliver.yml']!).env.SHIPGATE_LEDGER,
    );
  });

  it('builds and pushes with the digest, and stresses with the official k6 set-up', () => {
    const steps = Object.values(wf('deliver.yml').jobs).flatMap((j) => j.steps ?? []);
    expect(steps.find((s) => s.id === 'image')?.uses).toMatch(/^docker\/build-push-action@/);
    expect(steps.find((s) => s.id === 'image-ref')?.env?.DIGEST).toBe('${{ steps.image.outputs.digest }}');
    expect(steps.some((s) => s.uses?.startsWith('grafana/setup-k6-action@'))).toBe(true);
  });
});

describe('ci and rollback', () => {
  it('ci runs nx affected lint, test, build on Node 22 and 24 with npm and Nx caches', () => {
    const job = wf('ci.yml').jobs.affected!;
    expect(job.strategy?.matrix).toEqual({ node: ['22', '24'] });
    const steps = job.steps ?? [];
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.cache).toBe('npm');
    expect(String(steps.find((s) => s.uses?.startsWith('actions/cache@'))?.with?.key)).toContain(
      "hashFiles('package-lock.json')",
    );
    expect(steps.some((s) => s.run?.startsWith('npx nx affected -t lint test build'))).toBe(true);
    expect(steps.some((s) => s.run === 'npx vitest run --config tools/vitest.config.ts workflow')).toBe(true);
  });

  it('rollback asks for a reason, names the environment, and has no gate', () => {
    const rollback = wf('rollback.yml');
    const inputs = rollback.on.workflow_dispatch?.inputs ?? {};
    expect(inputs.environment).toMatchObject({ type: 'choice', required: true });
    expect(inputs.reason).toMatchObject({ required: true });
    expect(inputs.release).toMatchObject({ required: false });
    const job = rollback.jobs.rollback!;
    expect(environmentOf(job)).toBe('${{ inputs.environment }}');
    expect(commandsOf(job)).toEqual(['rollback $ENVIRONMENT']);
  });
});

// ---------- each check fails on a bad snippet ----------

describe('the checks catch what they are for', () => {
  it('action-validator refuses a malformed workflow and action', () => {
    expect(
      validateWorkflow('on: push\njobs:\n  a:\n    runz-on: ubuntu-24.04\n    steps:\n      - run: echo\n').errors
        .length,
    ).toBeGreaterThan(0);
    expect(
      validateAction('name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo\n').errors.length,
    ).toBeGreaterThan(0);
  });

  it('pinning: a tag, a short SHA, a missing version comment', () => {
    const bad = [
      '      - uses: actions/checkout@v4',
      '      - uses: actions/checkout@11bd719',
      '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683',
      '      - uses: ./local',
    ].join('\n');
    const problems = pinningProblems(bad);
    expect(problems).toHaveLength(3);
    expect(problems[2]).toMatch(/no "# vX.Y.Z" comment/);
  });

  it('injection: event and input expressions in a run block', () => {
    const steps: Step[] = [
      { name: 'greet', run: 'echo "${{ github.event.pull_request.title }}"\necho ${{ inputs.reason }}' },
      { run: 'echo "$REASON"', env: { REASON: '${{ inputs.reason }}' } },
    ];
    const problems = injectionProblems(steps, 'bad');
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/github\.event\.pull_request\.title.*untrusted/);
  });

  it('permissions: write-all, contents write, id-token without AWS, missing id-token with AWS', () => {
    const aws =
      '      - uses: aws-actions/configure-aws-credentials@ececac1a45f3b08a01d2dd070d28d111c5fe6722 # v4.1.0\n        with: { role-to-assume: "${{ vars.R }}" }';
    const doc = yamlDoc(
      `on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions: { contents: write }\n    steps: [{ run: echo }]\n  b:\n    runs-on: x\n    permissions: { contents: read, id-token: write }\n    steps: [{ run: echo }]\n  c:\n    runs-on: x\n    permissions: { contents: read }\n    steps:\n${aws}\n  d:\n    runs-on: x\n    steps: [{ run: echo }]\n`,
    );
    const problems = permissionProblems(doc, 'bad.yml', () => undefined);
    expect(problems).toEqual([
      'bad.yml: workflow-level permissions must be {} or { contents: read }, found "write-all"',
      'bad.yml job a: contents: write is never needed here',
      'bad.yml job b: id-token: write granted without AWS role assumption',
      'bad.yml job c: AWS role assumption needs id-token: write',
      'bad.yml job d: permissions must be an explicit map, found undefined',
    ]);
  });

  it('permissions: a caller of a reusable workflow granting more than the called jobs use', () => {
    const caller = yamlDoc(
      'on: push\npermissions: {}\njobs:\n  call:\n    permissions: { contents: read, actions: read }\n    uses: ./.github/workflows/deliver.yml\n',
    );
    const callee = yamlDoc(
      'on: workflow_call\njobs:\n  only:\n    runs-on: x\n    permissions: { contents: read }\n    steps: [{ run: echo }]\n',
    );
    expect(permissionProblems(caller, 'caller.yml', () => callee)).toEqual([
      'caller.yml job call: actions: read granted without approvals import',
    ]);
  });

  it('aws: stored keys and a hard-coded role', () => {
    const doc = yamlDoc(
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: aws-actions/configure-aws-credentials@ececac1a45f3b08a01d2dd070d28d111c5fe6722\n        with: { aws-access-key-id: "${{ secrets.K }}", aws-secret-access-key: "${{ secrets.S }}", role-to-assume: "arn:aws:iam::1:role/r" }\n',
    );
    expect(awsCredentialProblems(doc, 'bad.yml')).toHaveLength(2);
  });

  it('concurrency: a deploy without a group, one that cancels, one in the wrong group', () => {
    const step = (cmd: string) =>
      `[{ uses: ./.github/actions/shipgate, with: { args: "${cmd}\\n--service $SERVICE" } }]`;
    const doc = yamlDoc(
      `on: push\njobs:\n  a:\n    environment: test\n    steps: ${step('deploy test')}\n  b:\n    environment: staging\n    concurrency: { group: 'shipgate-staging-\${{ inputs.service }}', cancel-in-progress: true }\n    steps: ${step('deploy staging')}\n  c:\n    environment: production\n    concurrency: { group: 'shipgate-staging-\${{ inputs.service }}', cancel-in-progress: false }\n    steps: ${step('deploy production')}\n  d:\n    environment: staging\n    concurrency: { group: 'shipgate-staging-\${{ inputs.service }}', cancel-in-progress: false }\n    steps: ${step('deploy production')}\n`,
    );
    expect(concurrencyProblems(doc, 'bad.yml')).toEqual([
      'bad.yml job a: concurrency group must be shipgate-test-${{ inputs.service }}, found undefined',
      'bad.yml job a: cancel-in-progress must be false (deploys queue, never cancel one another)',
      'bad.yml job b: cancel-in-progress must be false (deploys queue, never cancel one another)',
      'bad.yml job c: concurrency group must be shipgate-production-${{ inputs.service }}, found shipgate-staging-${{ inputs.service }}',
      'bad.yml job d: deploys to production but names environment staging',
    ]);
  });

  it('least privilege: QA with an OIDC token, k6 next to a ledger write, evidence recorded where it ran, secrets: inherit', () => {
    const aws =
      '{ uses: aws-actions/configure-aws-credentials@ececac1a45f3b08a01d2dd070d28d111c5fe6722, with: { role-to-assume: "${{ vars.AWS_DEPLOY_ROLE_ARN }}" } }';
    const doc = yamlDoc(
      `on: push\njobs:\n  a:\n    permissions: { contents: read, id-token: write }\n    steps: [${aws}, { name: qa, run: 'npx nx run "\${SERVICE}:qa"' }]\n  b:\n    permissions: { contents: read }\n    steps: [{ name: k6, run: 'k6 run s.js' }, { uses: ./.github/actions/shipgate, with: { args: "evidence add staging" } }]\n  c:\n    uses: ./.github/workflows/deliver.yml\n    secrets: inherit\n`,
    );
    expect(leastPrivilegeProblems(doc, 'bad.yml')).toEqual([
      'bad.yml job a runs repository code (qa) but may request an OIDC token',
      'bad.yml job a runs repository code (qa) but assumes an AWS role',
      'bad.yml job b runs repository code (k6) and writes the ledger',
      'bad.yml job b records evidence in the job that produced it',
      'bad.yml job b records evidence without the evidence role, found undefined',
      'bad.yml job b records evidence it did not receive from a tests job',
      'bad.yml job c: secrets: inherit hands every secret to the called workflow',
    ]);
  });

  it('install order: npm ci after the role, and a job using npx with no install before its role', () => {
    const aws =
      '{ uses: aws-actions/configure-aws-credentials@ececac1a45f3b08a01d2dd070d28d111c5fe6722, with: { role-to-assume: "${{ vars.R }}" } }';
    const doc = yamlDoc(
      `on: push\njobs:\n  a:\n    steps: [${aws}, { run: npm ci }, { run: npx shipgate status }]\n  b:\n    steps: [{ uses: ./.github/actions/setup }, ${aws}, { run: npx shipgate status }]\n`,
    );
    expect(installOrderProblems(doc, 'bad.yml')).toEqual([
      'bad.yml job a: dependencies must be installed before the role is assumed (step 1)',
      'bad.yml job a: step 2 installs dependencies after the role',
    ]);
  });

  it('authors: GITHUB_ACTOR passed as the author, an --author at all, or a range not from the push', () => {
    const create = (env: string, args: string) =>
      `{ uses: ./.github/actions/shipgate, env: { S: "\${{ github.sha }}", R: "${env}" }, with: { args: "release create\\n--git-sha $S\\n${args}" } }`;
    const doc = yamlDoc(
      `on: push\njobs:\n  a:\n    steps: [${create('${{ github.actor }}', '--author $R')}]\n  b:\n    steps: [${create('${{ inputs.before }}..${{ github.sha }}', '--commits $R')}]\n  c:\n    steps: [${create("${{ github.event.before || '0000000000000000000000000000000000000000' }}..${{ github.sha }}", '--commits $R')}]\n`,
    );
    expect(authorProblems(doc, 'bad.yml')).toEqual([
      'bad.yml: names the actor who triggered the run (GITHUB_ACTOR / github.actor)',
      'bad.yml job a: release create must not pass --author',
      'bad.yml job a: release create must pass --git-sha ${{ github.sha }} and --commits ${{ github.event.before }}..${{ github.sha }}, found no --commits',
      'bad.yml job b: release create must pass --git-sha ${{ github.sha }} and --commits ${{ github.event.before }}..${{ github.sha }}, found ${{ inputs.before }}..${{ github.sha }}',
    ]);
  });

  it('promotion order: production not needing staging, and a gate after the deploy', () => {
    const cmd = (c: string) => `{ uses: ./.github/actions/shipgate, with: { args: "${c}" } }`;
    const stagingSteps = `[${['gate staging', 'deploy staging', 'evidence add staging'].map(cmd).join(', ')}, { run: 'npx nx run "$SERVICE:qa"' }, { run: 'k6 run s.js' }]`;
    const doc = yamlDoc(
      `on: push\njobs:\n  build: { runs-on: x, steps: [{ run: echo }] }\n  staging: { environment: staging, needs: build, steps: ${stagingSteps} }\n  production: { environment: production, needs: build, steps: [${cmd('approvals import production')}, ${cmd('deploy production')}, ${cmd('gate production')}] }\n`,
    );
    expect(promotionOrderProblems(doc, 'bad.yml')).toEqual([
      'bad.yml: production job production does not need staging job staging',
      'bad.yml: production must import approvals, gate, then deploy',
    ]);
    expect(
      promotionOrderProblems(yamlDoc('on: push\njobs:\n  a: { environment: staging, steps: [] }\n'), 'none.yml'),
    ).toEqual(['none.yml: no job names the production environment']);
  });
});
