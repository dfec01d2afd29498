/**
 * Builds the sample service's images: bundles the service with esbuild into one directory per version
 * and, given an image builder (local-cloud's `buildImage`), turns each directory into an image
 * reference pinned by digest. v3-broken bakes `never-healthy` into the bundle itself, so the release is
 * broken whatever its task definition says.
 *
 *   npx tsx apps/sample-service/build-image.ts --out /tmp/images                 # bundles only, prints JSON
 *   npx tsx apps/sample-service/build-image.ts --out /tmp/images --endpoint http://127.0.0.1:4566
 *                                                   # and stores them in a running local-cloud (prints references)
 */
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One version of the sample service to build. */
export interface SampleVersion {
  version: string;
  /** Baked-in failure mode (`never-healthy`), or undefined for a working build. */
  broken?: string;
}

/** The versions the rehearsal deploys. */
export const sampleVersions: SampleVersion[] = [
  { version: 'v1' },
  { version: 'v2' },
  { version: 'v3-broken', broken: 'never-healthy' },
];

/** What local-cloud offers for turning a directory into an image (structural, so no app imports another). */
export interface ImageBuilder {
  buildImage(input: {
    dir: string;
    name: string;
    cmd: string[];
  }): Promise<{ reference: string; digest: string }> | { reference: string; digest: string };
}

/** A bundled version: its directory and the command that starts it there. */
export interface BundledVersion extends SampleVersion {
  dir: string;
  cmd: string[];
}

/** A built image. */
export interface BuiltImage extends BundledVersion {
  reference: string;
  digest: string;
}

const entry = fileURLToPath(new URL('./src/main.ts', import.meta.url));

/** Bundles one version into `<outDir>/<version>/server.cjs`. */
export async function bundleVersion(v: SampleVersion, outDir: string): Promise<BundledVersion> {
  const dir = join(outDir, v.version);
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: join(dir, 'server.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['pg-native'],
    logLevel: 'error',
    define: {
      SAMPLE_BUILD_BROKEN: JSON.stringify(v.broken ?? ''),
      SAMPLE_BUILD_VERSION: JSON.stringify(v.version),
    },
  });
  // The version file makes every version's content, hence its digest, distinct.
  await writeFile(join(dir, 'VERSION'), `${v.version}${v.broken ? ` (broken: ${v.broken})` : ''}\n`);
  return { ...v, dir, cmd: ['node', 'server.cjs'] };
}

/** Bundles every version and builds an image of each with `builder`. */
export async function buildSampleImages(
  builder: ImageBuilder,
  outDir: string,
  versions: SampleVersion[] = sampleVersions,
  name = 'sample-service',
): Promise<BuiltImage[]> {
  const built: BuiltImage[] = [];
  for (const v of versions) {
    const bundled = await bundleVersion(v, outDir);
    const image = await builder.buildImage({ dir: bundled.dir, name, cmd: bundled.cmd });
    built.push({ ...bundled, ...image });
  }
  return built;
}

/** An image builder that asks a running local-cloud over its loopback control endpoint. */
export function localCloudImageBuilder(endpoint: string): ImageBuilder {
  return {
    async buildImage(input) {
      const res = await fetch(`${endpoint.replace(/\/$/, '')}/_local-cloud/images`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (!res.ok) throw new Error(`local-cloud refused to build ${input.dir}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { reference: string; digest: string };
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const outDir = arg('--out');
  const endpoint = arg('--endpoint');
  if (!outDir) {
    process.stderr.write(
      'usage: npx tsx apps/sample-service/build-image.ts --out DIR [--endpoint http://127.0.0.1:4566]\n',
    );
    process.exit(2);
  }
  const result = endpoint
    ? await buildSampleImages(localCloudImageBuilder(endpoint), outDir)
    : await Promise.all(sampleVersions.map((v) => bundleVersion(v, outDir)));
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
