import { releaseIdFor, ShipgateError, type Release } from '@shipgate/model';
import type { AuditLog } from './audit-log';
import { createOrRead, readAll, readRecord, recordReference } from './record-io';
import type { StateStore } from './state-store';

/** Releases in the ledger: immutable, keyed by their content-derived id. */
export interface ReleaseStore {
  /** Records a release; the same content again is a no-op that says so (`created: false`). */
  create(release: Release, actor: string): Promise<{ release: Release; created: boolean }>;
  /** A release by full id or unique prefix (`rel-3f9a`, or `3f9a`). */
  get(idOrPrefix: string): Promise<Release>;
  /** Every release, optionally of one service, newest first. */
  list(filter?: { service?: string }): Promise<Release[]>;
}

const releaseKey = (id: string) => `releases/${id}.json`;
const idPattern = /^rel-[0-9a-f]{1,16}$/;

/** What identifies a release; two records with the same identity are the same release. */
function identity(r: Release) {
  return { service: r.service, image: r.image, digest: r.digest, gitSha: r.gitSha ?? null };
}

/** The release store over a state store, auditing every creation. */
export function releaseStore(store: StateStore, audit: AuditLog): ReleaseStore {
  return {
    async create(release, actor) {
      const expectedId = releaseIdFor(release);
      if (release.id !== expectedId) {
        throw new ShipgateError(
          'INTERNAL',
          `expected release id ${expectedId} for its content (service, image, digest, git SHA), found ${release.id}`,
          { hint: 'Build releases with makeRelease() from @shipgate/model.' },
        );
      }
      const outcome = await createOrRead(store, releaseKey(release.id), release);
      const stored = outcome.created ? release : outcome.existing;
      if (!outcome.created && JSON.stringify(identity(stored)) !== JSON.stringify(identity(release))) {
        throw new ShipgateError(
          'LEDGER_CORRUPT',
          `expected the stored release ${release.id} to have the content its id was derived from (${release.image}), found ${stored.image} (${stored.digest})`,
          {
            hint: 'The record was edited after it was written; run `shipgate audit verify` and restore it from a backup.',
            location: { file: releaseKey(release.id) },
          },
        );
      }
      // Audited even when it already existed: re-runs are visible, and a crash between the record
      // and its audit entry is healed by running the command again.
      await audit.append({
        actor,
        action: 'release.create',
        subject: { service: stored.service, releaseId: stored.id },
        details: {
          created: outcome.created,
          ...recordReference(releaseKey(release.id), outcome.recordHash),
          image: stored.image,
          digest: stored.digest,
          ...(stored.gitSha ? { gitSha: stored.gitSha } : {}),
        },
      });
      return { release: stored, created: outcome.created };
    },

    async get(idOrPrefix) {
      const found = await find(idOrPrefix);
      // The id is a hash of the content: a release whose image, digest or git SHA was edited no longer has it.
      // (A record with no pinned digest at all is refused where it would be used, as IMAGE_NOT_PINNED.)
      const expectedId = releaseIdFor(found);
      if (/^sha256:[0-9a-f]{64}$/.test(found.digest) && expectedId !== found.id) {
        throw new ShipgateError(
          'LEDGER_CORRUPT',
          `expected release ${found.id} to have the content its id was derived from, found content (image ${found.image}, digest ${found.digest}) whose id is ${expectedId}`,
          {
            hint: 'The release record was edited after it was written; run `shipgate audit verify` and restore it from a backup.',
            location: { file: releaseKey(found.id) },
          },
        );
      }
      return found;
    },

    async list(filter = {}) {
      const all = await readAll<Release>(store, 'releases/');
      return all
        .filter((r) => filter.service === undefined || r.service === filter.service)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    },
  };

  /** The record stored under `id`'s key, which must be that release: another release's record copied there is refused. */
  function stored(id: string, record: Release): Release {
    if (record.id === id) return record;
    throw new ShipgateError(
      'LEDGER_CORRUPT',
      `expected the record at ${releaseKey(id)} to be release ${id}, found release ${String(record.id)}`,
      {
        hint: 'A release record was copied or moved in the store; run `shipgate audit verify` and restore it from a backup.',
        location: { file: releaseKey(id) },
      },
    );
  }

  /** A release by full id or unique prefix, as stored. */
  async function find(idOrPrefix: string): Promise<Release> {
    const wanted = idOrPrefix.trim().toLowerCase();
    const id = wanted.startsWith('rel-') ? wanted : `rel-${wanted}`;
    if (!idPattern.test(id)) {
      throw new ShipgateError(
        'RELEASE_NOT_FOUND',
        `expected a release id like rel-<hex> (or a unique prefix of one), found "${idOrPrefix}"`,
        { hint: 'List releases with `shipgate release list`.' },
      );
    }
    const exact = await readRecord<Release>(store, releaseKey(id));
    if (exact) return stored(id, exact.record);
    const matches = (await store.list(`releases/${id}`)).map((k) => k.slice('releases/'.length, -'.json'.length));
    if (matches.length === 1)
      return stored(matches[0]!, (await readRecord<Release>(store, releaseKey(matches[0]!)))!.record);
    if (matches.length === 0) {
      throw new ShipgateError(
        'RELEASE_NOT_FOUND',
        `expected a release whose id starts with ${id} in the ledger at ${store.location}, found none`,
        { hint: 'List releases with `shipgate release list`, or check --state.' },
      );
    }
    throw new ShipgateError(
      'RELEASE_AMBIGUOUS',
      `expected one release whose id starts with ${id}, found ${matches.length}`,
      {
        hint: `Use more characters: ${matches.slice(0, 10).join(', ')}${matches.length > 10 ? ', …' : ''}`,
        details: { candidates: matches },
      },
    );
  }
}
