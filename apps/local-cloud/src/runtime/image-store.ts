import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What `buildImage` takes: a directory of built files, the image's name and its entry command. */
export interface BuildImageInput {
  dir: string;
  name: string;
  cmd: string[];
}

/** A built image: `reference` is what a task definition names (`local-cloud.local/<name>@sha256:<hex>`). */
export interface BuiltImage {
  reference: string;
  digest: string;
}

/** An image found in the store. */
export interface StoredImage {
  name: string;
  digest: string;
  cmd: string[];
  /** The image's files (used read-only as the task's working directory). */
  dir: string;
}

/** Local images: directories addressed by the sha256 of their content and entry command. */
export class ImageStore {
  constructor(
    readonly root: string,
    readonly registry = 'local-cloud.local',
  ) {}

  /** Builds (stores) an image; the same content and command always give the same digest. */
  async build(input: BuildImageInput): Promise<BuiltImage> {
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(input.name)) {
      throw new Error(`image name must be lowercase letters, digits and . _ - / separators; found "${input.name}"`);
    }
    if (input.cmd.length === 0) throw new Error('image cmd must name a program to run; found an empty list');
    const digest = `sha256:${await digestOf(input.dir, input.cmd)}`;
    const home = this.imageDir(digest);
    const exists = await stat(join(home, 'image.json')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const staging = `${home}.tmp-${process.pid}-${Date.now()}`;
      await mkdir(staging, { recursive: true });
      await cp(input.dir, join(staging, 'files'), { recursive: true });
      await writeFile(
        join(staging, 'image.json'),
        JSON.stringify({ name: input.name, digest, cmd: input.cmd }, null, 2),
      );
      await rm(home, { recursive: true, force: true });
      await rename(staging, home);
    }
    await mkdir(join(this.root, 'tags'), { recursive: true });
    await writeFile(join(this.root, 'tags', `${input.name.replace(/\//g, '__')}.json`), JSON.stringify({ digest }));
    return { reference: `${this.registry}/${input.name}@${digest}`, digest };
  }

  /** Resolves `reg/name@sha256:…`, `name@sha256:…`, `sha256:…` or `name[:latest]`; undefined when unknown. */
  async resolve(reference: string): Promise<StoredImage | undefined> {
    let digest: string | undefined;
    const at = reference.indexOf('@');
    if (at >= 0) digest = reference.slice(at + 1);
    else if (reference.startsWith('sha256:')) digest = reference;
    else {
      const name = reference.replace(`${this.registry}/`, '').replace(/:latest$/, '');
      const tag = await readFile(join(this.root, 'tags', `${name.replace(/\//g, '__')}.json`), 'utf8').catch(
        () => undefined,
      );
      digest = tag ? (JSON.parse(tag) as { digest: string }).digest : undefined;
    }
    if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
    const home = this.imageDir(digest);
    const meta = await readFile(join(home, 'image.json'), 'utf8').catch(() => undefined);
    if (!meta) return undefined;
    const parsed = JSON.parse(meta) as { name: string; cmd: string[] };
    return { name: parsed.name, digest, cmd: parsed.cmd, dir: join(home, 'files') };
  }

  private imageDir(digest: string): string {
    return join(this.root, 'images', digest.replace(':', '-'));
  }
}

/** The image name a reference names (`local-cloud.local/echo@sha256:…` → `echo`), registry and digest or tag removed. */
export function imageNameOf(reference: string, registry = 'local-cloud.local'): string {
  const withoutDigest = reference.split('@')[0]!;
  const withoutRegistry = withoutDigest.startsWith(`${registry}/`)
    ? withoutDigest.slice(registry.length + 1)
    : withoutDigest;
  return withoutRegistry.replace(/:[^/:]+$/, '');
}

/** sha256 over sorted relative paths, each file's bytes and the entry command: stable across machines. */
export async function digestOf(dir: string, cmd: string[]): Promise<string> {
  const hash = createHash('sha256');
  const files = (await listFiles(dir)).sort();
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    hash.update(`${file.split(sep).join('/')}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  hash.update(`\0cmd\0${JSON.stringify(cmd)}`);
  return hash.digest('hex');
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, full)));
    else if (entry.isFile()) out.push(relative(root, full));
  }
  return out;
}
