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
  const byEnv = (name: string) => Object.entries(jobs).find(([, j]) => environmentOf(j) === name);
  const production = byEnv('production');
  const staging = byEnv('staging');
  if (!production) return [`${file}: no job names the production environment`];
  if (!staging) return [`${file}: no job names the staging environment`];
  const seen = new Set<string>();
  const walk = (id: string) => {
    for (const n of needsOf(jobs[id] ?? {})) {
      if (seen.has(n)) continue;
      seen.add(n);
      walk(n);
    }
  };
  walk(production[0]);
  if (!seen.has(staging[0]))
    problems.push(`${file}: production job ${production[0]} does not need staging job ${staging[0]}`);
  const order = (job: Job, wanted: string[]) => {
    const cmds = commandsOf(job);
    const at = wanted.map((w) => cmds.findIndex((c) => c.startsWith(w)));
    return at.every((i) => i >= 0) && at.every((i, k) => k === 0 || i > at[k - 1]!);
  };
  if (!order(staging[1], ['gate staging', 'deploy staging', 'qa staging', 'stress staging']))
    problems.push(`${file}: staging must gate, deploy, run QA, then stress`);
  if (!order(production[1], ['approvals import production', 'gate production', 'deploy production']))
    problems.push(`${file}: production must import approvals, gate, then deploy`);
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
  });

  it('pin every third-party action to a commit, with its version', () => {
    for (const text of [...Object.values(sources), actionSource]) expect(pinningProblems(text)).toEqual([]);
  });

  it('never paste an expression into a shell script', () => {
    for (const [file, w] of Object.entries(workflows))
      for (const [id, job] of Object.entries(w.jobs))
        expect(injectionProblems(job.steps ?? [], `${file}/${id}`)).toEqual([]);
    expect(injectionProblems(action.runs.steps, 'action.yml')).toEqual([]);
  });

  it('grant each job only the permissions its steps use', () => {
    for (const [file, w] of Object.entries(workflows)) expect(permissionProblems(w, file, deliverPath)).toEqual([]);
  });

  it('reach AWS only by OIDC role assumption', () => {
    for (const [file, w] of Object.entries(workflows)) expect(awsCredentialProblems(w, file)).toEqual([]);
    const assuming = Object.values(wf('deliver.yml').jobs).filter((j) =>
      j.steps?.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
    );
    expect(assuming).toHaveLength(4);
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

  it('promotion order: production not needing staging, and a gate after the deploy', () => {
    const cmd = (c: string) => `{ uses: ./.github/actions/shipgate, with: { args: "${c}" } }`;
    const stagingSteps = `[${['gate staging', 'deploy staging', 'qa staging', 'stress staging'].map(cmd).join(', ')}]`;
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
