import { makeRelease } from '@shipgate/model';
import { defineCommand } from '../command';
import { dryRunOption } from '../support/dry-run-option';
import { requireService } from '../support/config';

/** `shipgate release create`: record an immutable release; the image must be pinned by digest. */
export const command = defineCommand({
  name: 'release create',
  usage: 'shipgate release create --service S --image REF@sha256:<digest> [--git-sha SHA] [--author WHO] [--dry-run]',
  description:
    "The release id is derived from its content (service, image, digest, git SHA): creating the same release twice returns the same id. With --git-sha, the commit's authors (author and Co-authored-by trailers) are read from git: none of them may approve the release. The merger is not an author.",
  examples: [
    'shipgate release create --service sample-service --image registry.example/sample@sha256:<64 hex> --git-sha "$(git rev-parse HEAD)"',
  ],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'Service the image belongs to (as named in shipgate.yaml)',
    },
    image: {
      type: 'string',
      placeholder: 'REF@sha256:DIGEST',
      description:
        'OCI image reference [registry/]repository[:tag]@sha256:<64 hex>, pinned by digest (a tag alone is refused)',
    },
    'git-sha': { type: 'string', placeholder: 'SHA', description: 'Commit the image was built from' },
    author: {
      type: 'string',
      placeholder: 'WHO',
      description:
        "A further author (never counted as an approver); the commit's own authors and Co-authored-by trailers are read from git",
    },
    'dry-run': dryRunOption,
  },
  async run(ctx) {
    const loaded = await ctx.config();
    const service = requireService(loaded, ctx.values.service);
    const image = ctx.values.image;
    if (!image) {
      const { ShipgateError } = await import('@shipgate/model');
      throw new ShipgateError('USAGE', 'release create: expected --image REF@sha256:<digest>, found none', {
        hint: 'Pass the image reference your registry printed on push.',
      });
    }
    const actor = await ctx.actor();
    const gitSha = ctx.values['git-sha'];
    // Authors come from the commit, never from whoever merged it (GITHUB_ACTOR).
    const fromCommit = gitSha
      ? await (await import('../support/commit-authors')).commitAuthors(ctx.cwd, gitSha)
      : undefined;
    const author = ctx.values.author ?? fromCommit?.[0];
    const authors = [...new Set([...(ctx.values.author ? [ctx.values.author] : []), ...(fromCommit ?? [])])];
    const release = makeRelease({
      service: service.name,
      image,
      createdBy: actor,
      createdAt: ctx.clock.now(),
      ...(gitSha ? { gitSha } : {}),
      ...(author ? { author } : {}),
      ...(authors.length ? { authors } : {}),
    });
    const ledger = await ctx.ledger();
    const { release: stored, created } = await ledger.releases.create(release, actor);
    return {
      json: { release: stored, created },
      human: created
        ? `${ctx.dryRun ? 'would create' : 'created'} release ${stored.id} (${stored.service} ${stored.digest.slice(0, 19)}…)`
        : `release ${stored.id} already exists (same content); nothing changed`,
    };
  },
});
