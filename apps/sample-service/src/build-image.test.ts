import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSampleImages } from '../build-image';

const children: ChildProcess[] = [];
let out: string;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (out) await rm(out, { recursive: true, force: true });
});

async function startBundle(dir: string, cmd: string[], port: number): Promise<ChildProcess> {
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), SHIPGATE_RELEASE: 'rel-x' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return child;
}

describe('build-image', () => {
  it('bundles v1, v2 and v3-broken into distinct images; v3 is never healthy whatever its environment says', async () => {
    out = await mkdtemp(join(tmpdir(), 'sample-images-'));
    // A stand-in builder: digest over the bundle, as an image store would compute it.
    const images = await buildSampleImages(
      {
        async buildImage({ dir, name }) {
          const digest = `sha256:${createHash('sha256')
            .update(await readFile(join(dir, 'server.cjs')))
            .update(await readFile(join(dir, 'VERSION')))
            .digest('hex')}`;
          return { reference: `${name}@${digest}`, digest };
        },
      },
      out,
    );
    expect(images.map((i) => i.version)).toEqual(['v1', 'v2', 'v3-broken']);
    expect(new Set(images.map((i) => i.digest)).size).toBe(3);

    const v3 = images[2]!;
    const port = 20000 + (process.pid % 20000);
    const child = await startBundle(v3.dir, v3.cmd, port);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    const release = (await (await fetch(`http://127.0.0.1:${port}/release`)).json()) as {
      release: string;
      build: string;
    };
    expect(health.status).toBe(503);
    expect(release).toMatchObject({ release: 'rel-x', build: 'v3-broken' });
    // SIGTERM drains and exits cleanly.
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
