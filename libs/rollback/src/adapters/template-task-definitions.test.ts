import { describe, expect, it } from 'vitest';
import { resolveServiceTarget, validateConfigText } from '@shipgate/model';
import { templateTaskDefinitionSource } from './template-task-definitions';

const parsed = validateConfigText(`version: 1
project: demo
services:
  web: { containerName: app, containerPort: 8080, taskDefinition: taskdef.json }
environments:
  production:
    dataPolicy: real
    services:
      web: { productionListenerPort: 80, testListenerPort: 81, environmentVariables: { LOG_LEVEL: warn } }
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const target = resolveServiceTarget(parsed.config, 'production', 'web');
const template = JSON.stringify({
  family: '{{family}}',
  containerDefinitions: [
    {
      name: 'app',
      image: '{{image}}',
      portMappings: [{ containerPort: 8080 }],
      environment: [{ name: 'SHIPGATE_RELEASE', value: '{{release}}' }],
    },
  ],
});
const digest = `sha256:${'c'.repeat(64)}`;

describe('templateTaskDefinitionSource', () => {
  it('renders the service template for the release (image from the ledger when the plan lacks it)', async () => {
    const source = templateTaskDefinitionSource(target, {
      template: { text: template, file: 'taskdef.json' },
      release: async (id) => ({
        id,
        service: 'web',
        image: `reg/web@${digest}`,
        digest,
        createdBy: 'ci',
        createdAt: '2026-01-01T00:00:00Z',
      }),
    });
    expect([await source.taskDefinitionFor({ id: 'rel-7', digest })]).toEqual([
      expect.objectContaining({
        family: 'demo-production-web',
        containerDefinitions: [
          expect.objectContaining({
            image: `reg/web@${digest}`,
            environment: expect.arrayContaining([
              { name: 'SHIPGATE_RELEASE', value: 'rel-7' },
              { name: 'LOG_LEVEL', value: 'warn' },
            ]),
          }),
        ],
      }),
    ]);
  });

  it('refuses a release the ledger does not hold', async () => {
    const source = templateTaskDefinitionSource(target, {
      template: { text: template, file: 'taskdef.json' },
      release: async () => undefined,
    });
    await expect(source.taskDefinitionFor({ id: 'rel-gone', digest })).rejects.toThrow(
      'expected release rel-gone in the ledger to know its image, found no such release',
    );
  });
});
