import { contentHash } from './canonical-json';
import type { Release } from './domain';
import { ShipgateError } from './errors';
import { parseImageReference } from './image-reference';
import { escapeForTerminal } from './terminal-text';

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

/**
 * Parses `[registry/]name[:tag]@sha256:<64 hex>` by the OCI reference grammar (image-reference.ts). A
 * reference without a digest is refused: tags move, digests do not, and what was tested must be what
 * ships.
 */
export function parsePinnedImage(reference: string): PinnedImage {
  const parsed = parseImageReference(reference);
  if (!parsed.ok) {
    throw new ShipgateError('IMAGE_INVALID', `${parsed.error} in image reference "${escapeForTerminal(reference)}"`, {
      hint: 'Copy the reference your registry printed on push: registry/repository[:tag]@sha256:<64 hex>.',
    });
  }
  const { repository, tag, digest } = parsed.value;
  if (digest === undefined) {
    throw new ShipgateError(
      'IMAGE_NOT_PINNED',
      `expected an image reference pinned by digest (name@sha256:<64 hex>), found "${reference}" (a tag can move; a digest cannot)`,
      {
        hint: 'Use the digest your registry printed on push, e.g. `docker buildx imagetools inspect <ref>` or the `digest` output of docker/build-push-action.',
      },
    );
  }
  return { repository, ...(tag !== undefined ? { tag } : {}), digest, reference };
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
  /** Every author of the commit (its author and Co-authored-by trailers), read from the commit. */
  authors?: string[];
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
    ...(input.authors?.length ? { authors: input.authors } : {}),
    createdBy: input.createdBy,
    createdAt: input.createdAt.toISOString(),
  };
}
