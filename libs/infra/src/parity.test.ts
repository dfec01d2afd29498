import { describe, expect, it } from 'vitest';
import { compareParity } from './compare-parity';
import { declaredParity } from './parity-report';
import { parityView, withoutEnvironmentName } from './parity-view';
import { exampleConfig, exampleTemplates } from './testing/example-config';

describe('declared parity', () => {
  it('finds the example’s staging and production alike but for the differences parity.expect gives reasons for', () => {
    const config = exampleConfig();
    const diffs = declaredParity(config, 'sample-service', ['staging', 'production'], exampleTemplates(config));
    expect(diffs.filter((d) => !d.expected)).toEqual([]);
    expect(diffs.map((d) => d.setting)).toContain('deploy.controller');
    expect(diffs.find((d) => d.setting === 'deploy.strategy')).toMatchObject({
      a: '—',
      b: 'LINEAR',
      expected: expect.stringContaining('the controllers differ'),
    });
  });

  it('reports an undeclared difference with both values (a health check staging checks more slowly)', () => {
    const config = exampleConfig((raw) => {
      raw.environments.staging.deploy.healthCheck = { interval: '30s' };
      raw.environments.staging.services['sample-service'].desiredCount = 1;
    });
    const unexpected = declaredParity(
      config,
      'sample-service',
      ['staging', 'production'],
      exampleTemplates(config),
    ).filter((d) => !d.expected);
    expect(unexpected).toEqual([
      { setting: 'desiredCount', source: 'declared', a: '1', b: '2' },
      { setting: 'healthCheck.intervalSeconds', source: 'declared', a: '30', b: '5' },
    ]);
  });

  it('treats names that differ only by the environment as alike, and skips the variables that name the release', () => {
    expect(withoutEnvironmentName('shipgate-demo-staging-sample-service', 'staging')).toBe(
      'shipgate-demo-<env>-sample-service',
    );
    expect(withoutEnvironmentName('latest-test', 'test')).toBe('latest-<env>');
    const td = (env: string, release: string) => ({
      family: `p-${env}-s`,
      cpu: '256',
      containerDefinitions: [
        {
          name: 'app',
          image: `repo@sha256:${release}`,
          environment: [
            { name: 'SHIPGATE_RELEASE', value: release },
            { name: 'SHIPGATE_ENVIRONMENT', value: env },
          ],
          secrets: [{ name: 'DB', valueFrom: `arn:aws:secretsmanager:us-east-1:1:secret:${env}-db` }],
        },
      ],
    });
    const view = (env: string, release: string) =>
      parityView(
        { environment: env, targetGroups: [], alarms: [], taskDefinition: td(env, release) },
        new Set(['SHIPGATE_RELEASE']),
      );
    expect(compareParity(view('staging', 'a1'), view('production', 'b2'), 'live', {})).toEqual([]);
  });

  it('does not excuse one controller’s settings when the controller difference is not declared', () => {
    const config = exampleConfig((raw) => delete raw.parity);
    const unexpected = declaredParity(config, 'sample-service', ['staging', 'production'], exampleTemplates(config))
      .filter((d) => !d.expected)
      .map((d) => d.setting);
    expect(unexpected).toEqual(expect.arrayContaining(['deploy.controller', 'deploy.strategy', 'deploy.alarms']));
  });

  it('accepts a parity.expect key ending in .* for every setting under it', () => {
    const diffs = compareParity({ 'taskDefinition.cpu': '256' }, { 'taskDefinition.cpu': '1024' }, 'live', {
      'taskDefinition.*': 'production runs bigger tasks',
    });
    expect(diffs).toEqual([
      { setting: 'taskDefinition.cpu', source: 'live', a: '256', b: '1024', expected: 'production runs bigger tasks' },
    ]);
  });
});
