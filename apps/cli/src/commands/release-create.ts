import { makeRelease } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireService } from '../support/config';

/** `shipgate release create`: record an immutable release; the image must be pinned by digest. */
export const command = defineCommand({
  name: 'release create',
  usage: 'shipgate release create --service S --image REF@sha256:<digest> [--git-sha SHA] [--author WHO]',
  description:
    'The release id is derived from its content (service, image, digest, git SHA): creating the same release twice returns the same id.',
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
      description: 'Image reference pinned by digest (tags are refused)',
    },
    'git-sha': { type: 'string', placeholder: 'SHA', description: 'Commit the image was built from' },
    author: {
      type: 'string',
      placeholder: 'WHO',
      description: 'Commit author (never counted as an approver); default: $GITHUB_ACTOR in Actions',
    },
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
    const author = ctx.values.author ?? (ctx.env.GITHUB_ACTIONS === 'true' ? ctx.env.GITHUB_ACTOR : undefined);
    const release = makeRelease({
      service: service.name,
      image,
      createdBy: actor,
      createdAt: ctx.clock.now(),
      ...(gitSha ? { gitSha } : {}),
      ...(author ? { author } : {}),
    });
    const ledger = await ctx.ledger();
    const { release: stored, created } = await ledger.releases.create(release, actor);
    return {
      json: { release: stored, created },
      human: created
        ? `created release ${stored.id} (${stored.service} ${stored.digest.slice(0, 19)}…)`
        : `release ${stored.id} already exists (same content); nothing changed`,
    };
  },
});
