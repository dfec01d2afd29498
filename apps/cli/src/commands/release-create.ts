import { makeRelease, ShipgateError, type Release } from '@shipgate/model';
import { defineCommand, type CommandContext } from '../command';
import { dryRunOption } from '../support/dry-run-option';
import { requireService, type LoadedConfig } from '../support/config';

/** `shipgate release create`: record an immutable release, signed by the build CI identity; the image must be pinned by digest. */
export const command = defineCommand({
  name: 'release create',
  usage:
    'shipgate release create --service S --image REF@sha256:<digest> [--git-sha SHA [--commits BEFORE..SHA]] [--author WHO] [--dry-run]',
  description:
    "The release id is derived from its content (service, image, digest, git SHA): creating the same release twice returns the same id. With --git-sha, the change's authors are read from git (each commit's author e-mail and Co-authored-by trailers; with --commits, every commit of the push, and for a merge commit the side it merged; merge commits themselves do not count): none of them may approve the release. The merger is not an author. The record is signed by the build CI identity (trust.build.ci; the rehearsal key under the local-rehearsal profile), and the gate reads the authors only from that signature.",
  examples: [
    'shipgate release create --service sample-service --image registry.example/sample@sha256:<64 hex> --git-sha "$(git rev-parse HEAD)"',
    'shipgate release create --service sample-service --image "$IMAGE" --git-sha "$GITHUB_SHA" --commits "$PUSH_BEFORE..$GITHUB_SHA"',
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
    commits: {
      type: 'string',
      placeholder: 'BEFORE..SHA',
      description:
        "The push's commits (BEFORE: the 40-hex commit before the push, all zeros for a new branch; SHA: --git-sha): every one of their authors is an author of the release. With it, a commit missing from the checkout or a change without an author e-mail is an error (COMMIT_NOT_FOUND)",
    },
    author: {
      type: 'string',
      placeholder: 'WHO',
      description:
        "A further author (never counted as an approver); the commits' own authors and Co-authored-by trailers are read from git",
    },
    'dry-run': dryRunOption,
  },
  async run(ctx) {
    const loaded = await ctx.config();
    const service = requireService(loaded, ctx.values.service);
    const image = ctx.values.image;
    if (!image) {
      throw new ShipgateError('USAGE', 'release create: expected --image REF@sha256:<digest>, found none', {
        hint: 'Pass the image reference your registry printed on push.',
      });
    }
    const gitSha = ctx.values['git-sha'];
    if (ctx.values.commits !== undefined && !gitSha) {
      throw new ShipgateError('USAGE', 'release create: expected --git-sha with --commits, found none', {
        hint: 'Pass the release’s own commit: --git-sha "$GITHUB_SHA" --commits "$PUSH_BEFORE..$GITHUB_SHA".',
      });
    }
    const actor = await ctx.actor();
    // Authors come from the commits, never from whoever merged them (GITHUB_ACTOR).
    const { changeAuthors, parseCommitRange } = await import('../support/commit-authors');
    const before = ctx.values.commits !== undefined ? parseCommitRange(ctx.values.commits, gitSha!).before : undefined;
    const change = gitSha ? await changeAuthors(ctx.cwd, gitSha, before) : undefined;
    const fromCommits = change?.authors ?? [];
    const author = ctx.values.author ?? fromCommits[0];
    const authors = [...new Set([...(ctx.values.author ? [ctx.values.author] : []), ...fromCommits])];
    const release = makeRelease({
      service: service.name,
      image,
      createdBy: actor,
      createdAt: ctx.clock.now(),
      ...(gitSha ? { gitSha } : {}),
      ...(author ? { author } : {}),
      ...(authors.length ? { authors } : {}),
    });
    const signed = ctx.dryRun ? release : await sign(ctx, loaded, release);
    const ledger = await ctx.ledger();
    const { release: stored, created } = await ledger.releases.create(signed, actor);
    if (!created && !stored.envelope && signed.envelope)
      ctx.warn(
        `release ${stored.id} was recorded unsigned before (before release signing): environments that require approvals refuse it; build a new release`,
      );
    // A commit outside the repository (a local experiment) gives no authors; the output says so.
    const from = change
      ? ` (authors from ${change.range})`
      : gitSha
        ? ` (no commit authors: ${gitSha} is not in the git repository at ${ctx.cwd})`
        : '';
    return {
      json: {
        release: stored,
        created,
        signed: Boolean(stored.envelope),
        ...(change ? { authorsFrom: change.range } : {}),
      },
      human: created
        ? `${ctx.dryRun ? 'would create' : 'created'} release ${stored.id} (${stored.service} ${stored.digest.slice(0, 19)}…)${from}${stored.envelope ? `, signed with ${stored.envelope.signatures[0]?.keyid}` : ctx.dryRun ? '' : ', unsigned'}`
        : `release ${stored.id} already exists (same content); nothing changed`,
    };
  },
});

/** Signs the release as the build CI identity; without one in the policy it stays unsigned, and says so. */
async function sign(
  ctx: Pick<CommandContext, 'global' | 'cwd' | 'env' | 'warn'>,
  loaded: LoadedConfig,
  release: Release,
): Promise<Release> {
  const [{ buildSigner }, trust] = await Promise.all([import('../support/signers'), import('@shipgate/trust')]);
  const signer = await buildSigner(ctx, loaded);
  if (!signer) {
    ctx.warn(
      `no build CI identity (trust.build.ci in ${loaded.file}): release ${release.id} is recorded unsigned, and environments that require approvals will refuse it`,
    );
    return release;
  }
  return trust.signRecord(release, trust.releaseCodec, [signer]);
}
