import type { ShipgateError } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { digestA, templateText } from './__fixtures__/targets';
import { renderTaskDefinition } from './render-task-definition';

const values = {
  family: 'demo-test-api',
  image: `registry.example/api@${digestA}`,
  digest: digestA,
  release: 'rel-1',
  service: 'api',
  environment: 'test',
};
const expectations = { containerName: 'app', containerPort: 8080, file: 'taskdef.json' };

function failure(run: () => unknown): ShipgateError {
  try {
    run();
  } catch (error) {
    return error as ShipgateError;
  }
  throw new Error('expected an error');
}

describe('renderTaskDefinition', () => {
  it('fills placeholders, sets the family and appends config environment variables', () => {
    const def = renderTaskDefinition(
      templateText,
      { ...values, environmentVariables: { LOG_LEVEL: 'debug' } },
      expectations,
    );
    expect(def.family).toBe('demo-test-api');
    const app = def.containerDefinitions[0]!;
    expect(app.image).toBe(`registry.example/api@${digestA}`);
    expect(app.environment).toEqual([
      { name: 'SHIPGATE_RELEASE', value: 'rel-1' },
      { name: 'SHIPGATE_DIGEST', value: digestA },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
  });

  it('never lets a value break the JSON: a quote in a value stays a string', () => {
    const def = renderTaskDefinition(templateText, { ...values, release: 'rel-"1"' }, expectations);
    expect(def.containerDefinitions[0]!.environment![0]!.value).toBe('rel-"1"');
  });

  it('reports invalid JSON with its line', () => {
    const broken = templateText.replace('"networkMode": "awsvpc",', '"networkMode": "awsvpc",,');
    const error = failure(() => renderTaskDefinition(broken, values, expectations));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.location).toMatchObject({ file: 'taskdef.json', line: 3 });
  });

  it('names the JSON path of each shape problem', () => {
    const t = JSON.parse(templateText);
    const cases: [unknown, string, RegExp][] = [
      [{ ...t, containerDefinitions: undefined }, 'containerDefinitions', /non-empty list, found none/],
      [
        { ...t, containerDefinitions: [{ ...t.containerDefinitions[0], name: 'web' }] },
        'containerDefinitions',
        /named "app".*found "web"/,
      ],
      [
        { ...t, containerDefinitions: [{ ...t.containerDefinitions[0], portMappings: [{ containerPort: 3000 }] }] },
        'containerDefinitions[0].portMappings',
        /map port 8080.*found 3000/,
      ],
      [
        { ...t, containerDefinitions: [{ ...t.containerDefinitions[0], image: 'nginx:latest' }] },
        'containerDefinitions[0].image',
        /\{\{image\}\}/,
      ],
      [{ ...t, family: '{{colour}}' }, 'family', /found \{\{colour\}\}/],
    ];
    for (const [template, path, message] of cases) {
      const error = failure(() => renderTaskDefinition(JSON.stringify(template), values, expectations));
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(error.location?.path).toBe(path);
      expect(error.message).toMatch(message);
    }
  });

  it('refuses a release whose image is not pinned by its digest', () => {
    expect(failure(() => renderTaskDefinition(templateText, { ...values, digest: '' }, expectations)).code).toBe(
      'IMAGE_NOT_PINNED',
    );
    expect(
      failure(() =>
        renderTaskDefinition(templateText, { ...values, image: 'registry.example/api:latest' }, expectations),
      ).code,
    ).toBe('IMAGE_NOT_PINNED');
  });
});
