import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore, digestOf, imageNameOf } from './image-store';
import { LineBuffer } from './line-buffer';

let root: string;
let src: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'image-store-test-'));
  src = join(root, 'src');
  await mkdir(join(src, 'lib'), { recursive: true });
  await writeFile(join(src, 'server.js'), 'console.log(1)');
  await writeFile(join(src, 'lib', 'util.js'), 'module.exports = 2');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ImageStore', () => {
  it('addresses an image by the sha256 of its files and entry command', async () => {
    const store = new ImageStore(join(root, 'store'));
    const a = await store.build({ dir: src, name: 'svc', cmd: ['node', 'server.js'] });
    const b = await store.build({ dir: src, name: 'svc', cmd: ['node', 'server.js'] });
    const c = await store.build({ dir: src, name: 'svc', cmd: ['node', 'lib/util.js'] });
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.reference).toBe(`local-cloud.local/svc@${a.digest}`);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(a.digest).toBe(`sha256:${await digestOf(src, ['node', 'server.js'])}`);
  });

  it('changes the digest when a byte changes', async () => {
    const before = await digestOf(src, ['x']);
    await writeFile(join(src, 'lib', 'util.js'), 'module.exports = 3');
    expect(await digestOf(src, ['x'])).not.toBe(before);
  });

  it('resolves by reference, digest and name; unknown digests resolve to nothing', async () => {
    const store = new ImageStore(join(root, 'store2'));
    const built = await store.build({ dir: src, name: 'team/api', cmd: ['node', 'server.js'] });
    const byRef = await store.resolve(built.reference);
    expect(byRef).toMatchObject({ name: 'team/api', digest: built.digest, cmd: ['node', 'server.js'] });
    expect(await readFile(join(byRef!.dir, 'server.js'), 'utf8')).toBe('console.log(1)');
    expect((await store.resolve(built.digest))?.digest).toBe(built.digest);
    expect((await store.resolve('local-cloud.local/team/api:latest'))?.digest).toBe(built.digest);
    expect(await store.resolve(`local-cloud.local/team/api@sha256:${'1'.repeat(64)}`)).toBeUndefined();
    expect(await store.resolve('nginx:1.25')).toBeUndefined();
    expect(imageNameOf(built.reference)).toBe('team/api');
    await expect(store.build({ dir: src, name: 'Bad Name', cmd: ['x'] })).rejects.toThrow(
      /image name must be lowercase/,
    );
  });
});

describe('LineBuffer', () => {
  it('keeps the last N complete lines and the unterminated tail', () => {
    const buffer = new LineBuffer(3);
    buffer.write('a\nb\nc');
    buffer.write('c\nd\ne\npart');
    expect(buffer.snapshot()).toEqual(['cc', 'd', 'e', 'part']);
  });
});
