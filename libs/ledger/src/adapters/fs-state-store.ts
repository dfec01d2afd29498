import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import {
  assertReplaceableKey,
  assertValidKey,
  assertValidPrefix,
  isReplaceableKey,
  type ListOptions,
  type StateStore,
  type StoredObject,
  type StoreProtection,
  type StrayObject,
} from '../state-store';

const versionWidth = 12;
/** Files read synchronously between two turns of the event loop (getMany). */
const bulkSlice = 256;

/**
 * The default store: one JSON file per key under a directory (`.shipgate/`).
 *
 * Every write lands in a temp file that is fsynced and then hard-linked into place: `link()` fails
 * atomically when the name exists, so create-if-absent needs no lock, and a process killed at any
 * moment leaves either the whole object or none of it (only a hidden temp file, which listing skips).
 *
 * Version 1 of `a/b.json` is the file `a/b.json` itself (so people can read it); each replacement is a
 * new immutable file `a/.b.json.versions/<n>`, created the same way. Replace-if-version is then
 * "create version n+1 if absent": lock-free, safe across processes, and the history is kept.
 */
export class FsStateStore implements StateStore {
  readonly location: string;

  constructor(readonly root: string) {
    this.location = root;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    // A write-once record is its visible file, whatever sits in a hidden folder beside it (#12: a
    // dropped `.e.json.versions/2` used to be returned instead); `strayObjects` reports such files.
    const latest = isReplaceableKey(key) ? await this.latestVersion(key) : 1;
    if (latest > 1) return { body: await this.read(this.versionPath(key, latest)), version: String(latest) };
    try {
      return { body: await this.read(this.pathOf(key)), version: '1' };
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Many objects at once, as `get` reads each (#16). Synchronous reads in slices, yielding to the event
   * loop between slices: each asynchronous read is four thread-pool round trips (open, stat, read,
   * close) for a file of a few hundred bytes, so reading 14,000 deployment records that way took 2.1 s
   * on a quiet machine and about 0.25 s like this. A slice blocks the loop for a few milliseconds.
   */
  async getMany(keys: readonly string[]): Promise<(StoredObject | undefined)[]> {
    const out: (StoredObject | undefined)[] = [];
    // Which records have a versions folder, from one listing of each folder rather than a failed
    // readdir per record (an exception each).
    const listed = new Map<string, Set<string>>();
    const hasVersions = (key: string) => {
      const slash = key.lastIndexOf('/');
      const dir = key.slice(0, slash + 1);
      let names = listed.get(dir);
      if (!names) {
        names = new Set(this.listNow(this.pathOf(dir || '.')));
        listed.set(dir, names);
      }
      return names.has(`.${key.slice(slash + 1)}.versions`);
    };
    for (let i = 0; i < keys.length; i += bulkSlice) {
      // Before every slice, the first too: a caller reading in windows (the audit walk) awaits one
      // getMany after another, and without a turn of the loop here the whole walk would block it.
      await new Promise((resolve) => setImmediate(resolve));
      for (const key of keys.slice(i, i + bulkSlice)) out.push(this.getNow(key, hasVersions));
    }
    return out;
  }

  private listNow(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return [];
      throw this.unreachable('list', dir, error);
    }
  }

  /** `get`, synchronously (for getMany): the same rule for which file holds the object. */
  private getNow(key: string, hasVersions: (key: string) => boolean): StoredObject | undefined {
    assertValidKey(key);
    let latest = 1;
    if (isReplaceableKey(key) && hasVersions(key)) {
      try {
        latest = latestOf(readdirSync(this.versionsDir(key)));
      } catch (error) {
        if (codeOf(error) !== 'ENOENT' && codeOf(error) !== 'ENOTDIR')
          throw this.unreachable('read', this.versionsDir(key), error);
      }
    }
    const path = latest > 1 ? this.versionPath(key, latest) : this.pathOf(key);
    try {
      return { body: readFileSync(path, 'utf8'), version: String(latest) };
    } catch (error) {
      if (codeOf(error) === 'ENOENT' && latest === 1) return undefined;
      throw this.unreachable('read', path, error);
    }
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    assertValidKey(key);
    // Cheap early answer for the common lost race; link() below stays the real arbiter.
    if (await this.exists(this.pathOf(key))) return 'exists';
    return (await this.createExclusive(this.pathOf(key), body)) ? 'created' : 'exists';
  }

  async replaceIfVersion(key: string, body: string, version: string): Promise<'replaced' | 'conflict'> {
    assertValidKey(key);
    assertReplaceableKey(key);
    const n = Number(version);
    if (!Number.isSafeInteger(n) || n < 1) return 'conflict';
    // The version being replaced must exist; otherwise the caller holds a token we never issued.
    const current = n === 1 ? this.pathOf(key) : this.versionPath(key, n);
    if (!(await this.exists(current))) return 'conflict';
    if (await this.exists(this.versionPath(key, n + 1))) return 'conflict';
    return (await this.createExclusive(this.versionPath(key, n + 1), body)) ? 'replaced' : 'conflict';
  }

  async list(prefix: string, options: ListOptions = {}): Promise<string[]> {
    assertValidPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? this.root : join(this.root, prefix.slice(0, slash));
    const keys: string[] = [];
    await this.walk(base, keys);
    return keys
      .filter((k) => k.startsWith(prefix) && (options.startAfter === undefined || k > options.startAfter))
      .sort(compareKeys);
  }

  async protection(): Promise<StoreProtection> {
    return {
      kind: 'none',
      description: `a directory: whoever can write ${this.root} can delete entries; signed checkpoints detect it, nothing prevents it`,
    };
  }

  /** Hidden version folders beside write-once records: nothing shipgate writes, so someone else did. */
  async strayObjects(): Promise<StrayObject[]> {
    const found: StrayObject[] = [];
    const visit = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return;
        throw this.unreachable('list', dir, error);
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const versions = /^\.(.+)\.versions$/.exec(entry.name);
        if (entry.isDirectory() && versions) {
          const key = relative(this.root, join(dir, versions[1]!)).split(sep).join('/');
          if (isReplaceableKey(key)) continue;
          for (const name of (await readdir(path)).sort())
            found.push({
              key,
              where: join(path, name),
              problem: `a hidden version file beside the write-once record ${key} (never read; shipgate writes none)`,
            });
        } else if (entry.isDirectory() && !entry.name.startsWith('.')) await visit(path);
      }
    };
    await visit(this.root);
    return found;
  }

  /** Keys under `dir`; `keyOf` is that folder's key prefix (built as text: path.relative per file is slow). */
  private async walk(dir: string, into: string[], keyOf = this.keyPrefixOf(dir)): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return;
      throw this.unreachable('list', dir, error);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // temp files and version folders
      if (entry.isDirectory()) await this.walk(join(dir, entry.name), into, `${keyOf}${entry.name}/`);
      else if (entry.isFile()) into.push(`${keyOf}${entry.name}`);
    }
  }

  private keyPrefixOf(dir: string): string {
    const rel = relative(this.root, dir).split(sep).join('/');
    return rel ? `${rel}/` : '';
  }

  /** Writes `body` to a temp file, fsyncs it, links it to `target`; false when `target` exists. */
  private async createExclusive(target: string, body: string): Promise<boolean> {
    const dir = dirname(target);
    await this.ensureDir(dir);
    const temp = join(dir, `.${target.slice(dir.length + 1)}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(body, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, target);
      } catch (error) {
        if (codeOf(error) === 'EEXIST') return false;
        throw error;
      }
      await syncDir(dir);
      return true;
    } catch (error) {
      throw this.unreachable('write', target, error);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  private async ensureDir(dir: string): Promise<void> {
    try {
      const first = await mkdir(dir, { recursive: true });
      if (first === undefined) return;
      // New directories are durable only once each parent's entry for them is synced.
      for (let d = dir; ; d = dirname(d)) {
        await syncDir(dirname(d));
        if (d === first || dirname(d) === d) break;
      }
    } catch (error) {
      throw this.unreachable('create directory', dir, error);
    }
  }

  private async latestVersion(key: string): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.versionsDir(key));
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return 1;
      throw this.unreachable('read', this.versionsDir(key), error);
    }
    return latestOf(names);
  }

  private async read(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if (codeOf(error) === 'ENOENT') throw error;
      throw this.unreachable('read', path, error);
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return false;
      throw this.unreachable('read', path, error);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private versionsDir(key: string): string {
    const path = this.pathOf(key);
    return join(dirname(path), `.${path.slice(dirname(path).length + 1)}.versions`);
  }

  private versionPath(key: string, n: number): string {
    return join(this.versionsDir(key), String(n).padStart(versionWidth, '0'));
  }

  private unreachable(what: string, path: string, error: unknown): unknown {
    if (error instanceof ShipgateError) return error;
    return new ShipgateError(
      'STATE_UNREACHABLE',
      `could not ${what} ${path} in the ledger directory ${this.root}: ${codeOf(error) ?? String(error)}`,
      {
        hint: 'Check that the state directory exists and is writable, or point --state elsewhere.',
        cause: error,
      },
    );
  }
}

/** The newest version among a versions folder's file names (1: the visible file itself). */
function latestOf(names: readonly string[]): number {
  let latest = 1;
  for (const name of names) if (/^\d+$/.test(name)) latest = Math.max(latest, Number(name));
  return latest;
}

/** Byte order for ASCII keys, which is the order S3 lists them in. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function codeOf(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
