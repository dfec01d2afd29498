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

  // #11 item 16: every container image in the rendered task definition is the release's or pinned and listed.
  describe('container images (#11.16)', () => {
    const t = JSON.parse(templateText) as { containerDefinitions: Record<string, unknown>[] };
    const sidecar = `registry.example/log-router:2.1@sha256:${'c'.repeat(64)}`;
    const withContainers = (app: Record<string, unknown>, ...others: Record<string, unknown>[]) =>
      JSON.stringify({ ...t, containerDefinitions: [{ ...t.containerDefinitions[0], ...app }, ...others] });

    it("refuses a service container that names another image than the release's, pinned or not", () => {
      for (const image of [`registry.example/evil@sha256:${'e'.repeat(64)}`, 'registry.example/api:latest']) {
        const error = failure(() => renderTaskDefinition(withContainers({ image }), values, expectations));
        expect(error.code).toBe('TEMPLATE_INVALID');
        expect(error.location?.path).toBe('containerDefinitions[0].image');
        expect(error.message).toBe(
          `expected the image of "app" to be the release's image ${values.image} ("{{image}}"), found "${image}"`,
        );
      }
    });

    it('refuses a sidecar whose image is unpinned, not an OCI reference, or not listed in the config', () => {
      const cases: [string | undefined, RegExp][] = [
        [
          'fluent/fluent-bit:latest',
          /sidecar container "log-router" to be pinned by digest.*found "fluent\/fluent-bit:latest"/,
        ],
        [`Fluent/Bit@sha256:${'c'.repeat(64)}`, /pinned by digest.*found "Fluent\/Bit@.*\(expected each part/],
        [undefined, /sidecar container "log-router" to be pinned by digest.*found undefined/],
        [
          sidecar,
          /one listed in services.<service>.sidecarImages \(none listed\), found "registry.example\/log-router/,
        ],
      ];
      for (const [image, message] of cases) {
        const text = withContainers({}, { name: 'log-router', image });
        const error = failure(() => renderTaskDefinition(text, values, expectations));
        expect(error.code, String(image)).toBe('TEMPLATE_INVALID');
        expect(error.location?.path).toBe('containerDefinitions[1].image');
        expect(error.message).toMatch(message);
      }
    });

    it('accepts a sidecar pinned by digest and listed in sidecarImages', () => {
      const text = withContainers({}, { name: 'log-router', image: sidecar });
      const def = renderTaskDefinition(text, values, { ...expectations, sidecarImages: [sidecar] });
      expect(def.containerDefinitions.map((c) => c.image)).toEqual([values.image, sidecar]);
    });
  });

  it('fills only the placeholders it knows, never an inherited name such as {{constructor}} (#11.13)', () => {
    const error = failure(() =>
      renderTaskDefinition(templateText.replace('{{release}}', '{{constructor}}'), values, expectations),
    );
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toMatch(/found \{\{constructor\}\}/);
  });

  it('refuses a template nested deeper than a task definition ever is, instead of overflowing the stack (#11.12)', () => {
    const deep = templateText.replace(
      '"networkMode"',
      `"tags": ${'['.repeat(5000)}${']'.repeat(5000)},\n  "networkMode"`,
    );
    const error = failure(() => renderTaskDefinition(deep, values, expectations));
    expect(error.code).toBe('TEMPLATE_INVALID');
    expect(error.message).toMatch(/nested at most 64 levels deep, found deeper nesting at line 3/);
  });
});
