import { err, ok, type Result } from './result';

/**
 * An OCI image reference split by the grammar of distribution/reference (the one Docker, containerd
 * and ECS accept):
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain "/"] path-component ["/" path-component]*
 *   domain           := host [":" port-number]        host: domain-name | IPv4 | "[" IPv6 "]"
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*     separator := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" hex                            (shipgate: sha256:<64 hex>)
 *
 * The name is at most 255 characters. As in distribution/reference, the first component is the
 * registry when it contains "." or ":" or is "localhost".
 */
export interface ImageReference {
  /** `123.dkr.ecr.eu-west-1.amazonaws.com`, `localhost:5000`; absent for Docker Hub short names. */
  registry?: string;
  /** `[registry/]path` without tag or digest. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
  /** The reference as given (it parsed, so it is already in canonical form). */
  reference: string;
}

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])`;
const registryPattern = new RegExp(`^${host}(?::[0-9]+)?$`);
const pathComponentPattern = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^\w[\w.-]{0,127}$/;
/** The digest shipgate pins releases to. */
export const sha256DigestPattern = /^sha256:[0-9a-f]{64}$/;
const maxNameLength = 255;

/** Parses an image reference by the OCI grammar; the error says what part is wrong and why. */
export function parseImageReference(text: string): Result<ImageReference> {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!sha256DigestPattern.test(digest))
      return err(`expected the digest after "@" to be sha256:<64 lower-case hex>, found "${digest}"`);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag))
      return err(
        `expected a tag of letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-"), found "${tag}"`,
      );
  }
  if (rest === '') return err('expected a repository name before the tag or digest, found none');
  if (rest.length > maxNameLength)
    return err(`expected a repository name of at most ${maxNameLength} characters, found ${rest.length}`);
  const components = rest.split('/');
  let registry: string | undefined;
  const first = components[0]!;
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!registryPattern.test(first)) return err(`expected a registry host[:port], found "${first}"`);
    registry = first;
    components.shift();
  }
  for (const component of components) {
    if (!pathComponentPattern.test(component)) {
      return err(
        `expected each part of the repository path to be lower-case letters and digits joined by ".", "_", "__" or "-", found "${component}"`,
      );
    }
  }
  return ok({
    ...(registry ? { registry } : {}),
    repository: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    reference: text,
  });
}
