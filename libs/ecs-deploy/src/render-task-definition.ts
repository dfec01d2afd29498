import { ShipgateError, excessiveJsonNesting, ownValue, parseImageReference } from '@shipgate/model';
import type { ContainerDefinitionInput, TaskDefinitionInput } from './ports';

/** The values a template is rendered with. */
export interface TemplateValues {
  family: string;
  image: string;
  digest: string;
  release: string;
  service: string;
  environment: string;
  /** Extra container environment from the config (per environment and service). */
  environmentVariables?: Record<string, string>;
}

/** What the config says the template must contain. */
export interface TemplateExpectations {
  containerName: string;
  containerPort: number;
  /**
   * Images the other containers (sidecars) may use: `services.<service>.sidecarImages`, each pinned by
   * digest. Any other image in the rendered task definition is refused.
   */
  sidecarImages?: readonly string[];
  /** Where the template came from, for error locations. */
  file?: string;
}

const placeholder = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

/**
 * Renders a task-definition template (JSON text) for one release. Placeholders are filled in string
 * values after parsing, so a value can never break the JSON. The family is always shipgate's
 * (`<project>-<environment>-<service>`), so environments never share revisions.
 */
export function renderTaskDefinition(
  templateText: string,
  values: TemplateValues,
  expect: TemplateExpectations,
): TaskDefinitionInput {
  // The renderer's own check of the release's image (by the OCI grammar), not only release create's.
  const releaseImage = parseImageReference(values.image);
  if (!releaseImage.ok || releaseImage.value.digest === undefined || releaseImage.value.digest !== values.digest) {
    throw new ShipgateError(
      'IMAGE_NOT_PINNED',
      `expected the release's image pinned by its digest (<repository>@sha256:<64 hex>), found image "${values.image}" with digest "${values.digest || 'none'}"`,
      {
        hint: 'Create the release from an image reference that includes @sha256:<digest> (`shipgate release create --image …@sha256:…`).',
      },
    );
  }
  const parsed = parseTemplate(templateText, expect.file);
  const { environmentVariables: _extra, ...fill } = values;
  const rendered = substitute(parsed, fill as Record<string, string>, '', expect.file) as Record<string, unknown>;
  const definition = validateShape(rendered, expect, values);
  definition.family = values.family;
  const extra = Object.entries(values.environmentVariables ?? {});
  if (extra.length) {
    const container = definition.containerDefinitions.find((c) => c.name === expect.containerName)!;
    const env = (container.environment ?? []).filter(
      (e) => ownValue(values.environmentVariables, e.name) === undefined,
    );
    container.environment = [...env, ...extra.map(([name, value]) => ({ name, value }))];
  }
  return definition;
}

function invalid(message: string, path: string, file: string | undefined, hint: string, line?: number): ShipgateError {
  return new ShipgateError('TEMPLATE_INVALID', message, {
    location: { ...(file ? { file } : {}), path, ...(line ? { line } : {}) },
    hint,
  });
}

function parseTemplate(text: string, file: string | undefined): unknown {
  // substitute() walks the template recursively: refuse absurd nesting before it overflows the stack.
  const deep = excessiveJsonNesting(text);
  if (deep) {
    throw invalid(
      `expected a task-definition template nested at most ${deep.depth - 1} levels deep, found deeper nesting at line ${deep.line}, column ${deep.column}`,
      '',
      file,
      'A task definition nests a few levels; remove the extra brackets.',
      deep.line,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw invalid(
      `expected a JSON task-definition template, found invalid JSON: ${message}`,
      '',
      file,
      'Fix the JSON syntax at the line shown (a trailing comma or a missing quote is the usual cause).',
      line,
    );
  }
}

function substitute(value: unknown, fill: Record<string, string>, path: string, file: string | undefined): unknown {
  if (typeof value === 'string') {
    return value.replace(placeholder, (_whole, name: string) => {
      const replacement = ownValue(fill, name);
      if (replacement === undefined) {
        throw invalid(
          `expected a known placeholder ({{${Object.keys(fill).join('}}, {{')}}}), found {{${name}}}`,
          path || '$',
          file,
          'Use one of the listed placeholders.',
        );
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, fill, `${path}[${i}]`, file));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, fill, path ? `${path}.${k}` : k, file)]),
    );
  }
  return value;
}

function validateShape(
  rendered: Record<string, unknown>,
  expect: TemplateExpectations,
  release: { image: string },
): TaskDefinitionInput {
  const file = expect.file;
  if (!rendered || typeof rendered !== 'object' || Array.isArray(rendered)) {
    throw invalid(
      'expected a JSON object (a RegisterTaskDefinition input), found ' +
        (Array.isArray(rendered) ? 'an array' : typeof rendered),
      '$',
      file,
      'Start from `aws ecs describe-task-definition` output or apps/sample-service/taskdef.json.',
    );
  }
  const containers = rendered.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw invalid(
      `expected containerDefinitions to be a non-empty list, found ${containers === undefined ? 'none' : JSON.stringify(containers)}`,
      'containerDefinitions',
      file,
      `Add a container named "${expect.containerName}".`,
    );
  }
  const names = containers.map((c) =>
    c && typeof c === 'object' ? String((c as { name?: unknown }).name) : String(c),
  );
  const index = names.indexOf(expect.containerName);
  if (index < 0) {
    throw invalid(
      `expected a container named "${expect.containerName}" (services.<service>.containerName), found ${names.map((n) => `"${n}"`).join(', ')}`,
      'containerDefinitions',
      file,
      'Rename the container in the template or change containerName in shipgate.yaml.',
    );
  }
  const container = containers[index] as ContainerDefinitionInput;
  checkImages(containers, index, expect, release);
  const ports = (container.portMappings ?? []).map((p) => p?.containerPort);
  if (!ports.includes(expect.containerPort)) {
    throw invalid(
      `expected container "${expect.containerName}" to map port ${expect.containerPort} (services.<service>.containerPort), found ${ports.length ? ports.join(', ') : 'no port mappings'}`,
      `containerDefinitions[${index}].portMappings`,
      file,
      'Make the port mapping and containerPort in shipgate.yaml agree.',
    );
  }
  return rendered as TaskDefinitionInput;
}

/**
 * Every container image in the rendered task definition is one shipgate vouches for (#11 item 16):
 * the service's container runs exactly the release's image, and each other container (a sidecar) an
 * image pinned by digest and listed in `services.<service>.sidecarImages`. Otherwise a template could
 * ship an image that was never tested, or one whose tag moves.
 */
function checkImages(
  containers: unknown[],
  serviceIndex: number,
  expect: TemplateExpectations,
  release: { image: string },
): void {
  const file = expect.file;
  containers.forEach((c, i) => {
    const container = (c && typeof c === 'object' ? c : {}) as { name?: unknown; image?: unknown };
    const name = typeof container.name === 'string' ? container.name : `#${i}`;
    const image = container.image;
    const path = `containerDefinitions[${i}].image`;
    if (i === serviceIndex) {
      if (image !== release.image) {
        throw invalid(
          `expected the image of "${name}" to be the release's image ${release.image} ("{{image}}"), found ${JSON.stringify(image)}`,
          path,
          file,
          'Set "image": "{{image}}" so that what was tested is what ships.',
        );
      }
      return;
    }
    const parsed = typeof image === 'string' ? parseImageReference(image) : undefined;
    if (!parsed?.ok || parsed.value.digest === undefined) {
      throw invalid(
        `expected the image of sidecar container "${name}" to be pinned by digest (registry/name@sha256:<64 hex>), found ${JSON.stringify(image)}${parsed && !parsed.ok ? ` (${parsed.error})` : ''}`,
        path,
        file,
        'Pin the sidecar image by its digest and list it under services.<service>.sidecarImages in shipgate.yaml.',
      );
    }
    if (!(expect.sidecarImages ?? []).includes(image as string)) {
      throw invalid(
        `expected the image of sidecar container "${name}" to be one listed in services.<service>.sidecarImages (${(expect.sidecarImages ?? []).join(', ') || 'none listed'}), found ${JSON.stringify(image)}`,
        path,
        file,
        'Add the image to services.<service>.sidecarImages in shipgate.yaml, or use one listed there.',
      );
    }
  });
}
