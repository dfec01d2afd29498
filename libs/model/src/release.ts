import { contentHash } from './canonical-json';
import type { Release } from './domain';
import { ShipgateError } from './errors';

/** An image reference split into its parts; the digest is required. */
export interface PinnedImage {
  /** `registry/repository` without tag or digest. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest: string;
  /** The full reference as given (normalised to repository[:tag]@digest). */
  reference: string;
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses `registry/name[:tag]@sha256:<64 hex>`. A reference without a digest is refused: tags move,
 * digests do not, and what was tested must be what ships.
 */
export function parsePinnedImage(reference: string): PinnedImage {
  const at = reference.lastIndexOf('@');
  if (at < 0) {
    throw new ShipgateError(
      'IMAGE_NOT_PINNED',
      `expected an image reference pinned by digest (name@sha256:<64 hex>), found "${reference}" (a tag can move; a digest cannot)`,
      {
        hint: 'Use the digest your registry printed on push, e.g. `docker buildx imagetools inspect <ref>` or the `digest` output of docker/build-push-action.',
      },
    );
  }
  const name = reference.slice(0, at);
  const digest = reference.slice(at + 1);
  if (!digestPattern.test(digest)) {
    throw new ShipgateError(
      'IMAGE_NOT_PINNED',
      `expected the digest after "@" to be sha256:<64 lower-case hex>, found "${digest}"`,
      { hint: 'Copy the full digest, including the sha256: prefix.' },
    );
  }
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const repository = hasTag ? name.slice(0, colon) : name;
  if (!/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/.test(repository)) {
    throw new ShipgateError(
      'IMAGE_NOT_PINNED',
      `expected a repository name of lower-case letters, digits, '.', '-', '_' and '/', found "${repository}"`,
      { hint: 'Check the image reference for typos.' },
    );
  }
  return { repository, ...(hasTag ? { tag: name.slice(colon + 1) } : {}), digest, reference: `${name}@${digest}` };
}

/** The content that identifies a release; its hash is the release id. */
export function releaseIdFor(content: { service: string; image: string; digest: string; gitSha?: string }): string {
  return `rel-${contentHash({ service: content.service, image: content.image, digest: content.digest, gitSha: content.gitSha ?? null }).slice(0, 16)}`;
}

/** Builds an immutable release from a pinned image. */
export function makeRelease(input: {
  service: string;
  image: string;
  gitSha?: string;
  author?: string;
  createdBy: string;
  createdAt: Date;
}): Release {
  const pinned = parsePinnedImage(input.image);
  if (input.gitSha !== undefined && !/^[0-9a-f]{7,40}$/.test(input.gitSha)) {
    throw new ShipgateError(
      'USAGE',
      `expected --git-sha to be 7 to 40 lower-case hex characters, found "${input.gitSha}"`,
      { hint: 'Pass the commit SHA, e.g. --git-sha "$(git rev-parse HEAD)".' },
    );
  }
  const content = {
    service: input.service,
    image: pinned.reference,
    digest: pinned.digest,
    ...(input.gitSha ? { gitSha: input.gitSha } : {}),
  };
  return {
    id: releaseIdFor(content),
    ...content,
    ...(input.author ? { author: input.author } : {}),
    createdBy: input.createdBy,
    createdAt: input.createdAt.toISOString(),
  };
}
