import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema';
import { validateConfigText } from './validate-config';

const example = readFileSync(new URL('../../../../shipgate.yaml', import.meta.url), 'utf8');

function problemsOf(text: string) {
  const result = validateConfigText(text);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.problems;
}

/** Replaces the first occurrence of `from` in the example, failing loudly if it is not there. */
function edit(from: string, to: string): string {
  expect(example).toContain(from);
  return example.replace(from, to);
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('validateConfigText', () => {
  it('accepts the example shipgate.yaml and applies defaults', () => {
    const result = validateConfigText(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.config.environments)).toEqual(['test', 'staging', 'production']);
    expect(result.config.environments.test!.deploy.verifyRequests).toBe(20);
    expect(result.config.services['sample-service']!.desiredCount).toBe(2);
  });

  it('reports a YAML syntax error with its line', () => {
    const text = edit('    containerPort: 8080', '    containerPort: [8080');
    const [problem] = problemsOf(text);
    expect(problem!.code).toBe('CONFIG_SYNTAX');
    expect(problem!.line).toBeGreaterThanOrEqual(lineOf(text, 'containerPort: [8080'));
  });

  it('reports an unknown environment in promotion.from with its path, line and a suggestion', () => {
    const text = edit('      from: staging', '      from: stagign');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'UNKNOWN_ENVIRONMENT',
      path: 'environments.production.promotion.from',
      line: lineOf(text, 'from: stagign'),
      hint: 'Did you mean "staging"?',
    });
    expect(problems[0]!.message).toContain('"stagign"');
  });

  it('reports a missing required field with its path', () => {
    const text = edit('    containerName: app\n', '');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CONFIG_INVALID', path: 'services.sample-service.containerName' });
    expect(problems[0]!.message).toBe('missing required field (expected string)');
  });

  it('reports a wrong type, saying what was expected and found', () => {
    const text = edit('    containerPort: 8080', '    containerPort: eighty');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'CONFIG_INVALID',
      path: 'services.sample-service.containerPort',
      line: lineOf(text, 'containerPort: eighty'),
    });
    expect(problems[0]!.message).toBe('expected number, found "eighty" (string)');
  });

  it('reports a cycle in the promotion order', () => {
    const text = edit('    seedProfile: small\n', '    seedProfile: small\n    promotion:\n      from: production\n');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('CONFIG_INVALID');
    expect(problems[0]!.message).toMatch(
      /promotion order has a cycle: (test|staging|production)( ← (test|staging|production)){3}/,
    );
    expect(problems[0]!.path).toMatch(/^environments\.(test|staging|production)\.promotion\.from$/);
  });

  it('reports an unknown key (a typo) with a did-you-mean hint and the key line', () => {
    const text = edit('    healthCheckPath: /health', '    healthCheckPth: /health');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'CONFIG_INVALID',
      path: 'services.sample-service.healthCheckPth',
      line: lineOf(text, 'healthCheckPth'),
      hint: 'Did you mean "healthCheckPath"?',
    });
  });

  it('reports every problem at once, not only the first', () => {
    const text = edit('    containerPort: 8080', '    containerPort: eighty').replace(
      '    healthCheckPath: /health',
      '    healthCheckPth: /health',
    );
    expect(
      problemsOf(text)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['services.sample-service.containerPort', 'services.sample-service.healthCheckPth']);
  });

  it('refuses a real-data environment with a seeding database', () => {
    const text = edit(
      '  production:\n    dataPolicy: real\n',
      '  production:\n    dataPolicy: real\n    database: { kind: pglite }\n',
    );
    expect(problemsOf(text)[0]).toMatchObject({ path: 'environments.production.database' });
  });

  it('reads the trust section: CI identities per environment, allowed signers, roles (#12.1)', () => {
    const result = validateConfigText(example);
    if (!result.ok) throw new Error('example invalid');
    expect(result.config.trust?.allowedSigners).toBe('.github/allowed_signers');
    expect(result.config.trust?.namespace).toBe('shipgate-approval');
    expect(result.config.trust?.environments.staging?.ci?.kmsKeyId).toBe('alias/shipgate-demo-staging-ci');
    expect(result.config.trust?.environments.production?.breakGlass).toEqual(['alice']);
    expect(result.config.profiles['local-rehearsal']?.acceptRehearsalKey).toBe(true);
  });

  it('refuses a trust policy for an unknown environment and a path that leaves the repository (#12.1)', () => {
    const text = edit(
      '    staging:\n      ci:\n        publicKey: .github/trust/staging-ci.pem',
      '    stagin:\n      ci:\n        publicKey: ../staging-ci.pem',
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['trust.environments.stagin', 'trust.environments.stagin.ci.publicKey']),
    );
    expect(problems.find((p) => p.path === 'trust.environments.stagin')?.hint).toContain('staging');
  });

  it('refuses one key declared for two identities: the build and staging sharing a KMS key (#12.2)', () => {
    const text = edit('      kmsKeyId: alias/shipgate-demo-build-ci', '      kmsKeyId: alias/shipgate-demo-staging-ci');
    const problems = problemsOf(text);
    expect(problems.map((p) => p.path)).toContain('trust.environments.staging.ci.kmsKeyId');
    expect(problems.find((p) => p.path === 'trust.environments.staging.ci.kmsKeyId')?.message).toBe(
      'expected a key of its own for environment staging (one key, one identity), not the kmsKeyId the build already uses, found "alias/shipgate-demo-staging-ci" (string)',
    );
  });

  it('generates a JSON Schema that describes the top-level keys', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'project', 'services', 'environments']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'project', 'services', 'environments']));
  });
});
