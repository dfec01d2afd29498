import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { generateCopyChunks } from './generate-rows';
import { loadDataset } from './load-dataset';

const fixture = fileURLToPath(new URL('./__fixtures__/shop-dataset.ts', import.meta.url));

describe('loadDataset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shipgate-load-test-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('bundles a TypeScript dataset file and returns the named export, generating the same bytes', async () => {
    const loaded = await loadDataset(fixture, { exportName: 'shopDataset' });
    expect(loaded.tableOrder).toEqual(['customers', 'orders', 'notes']);
    const text = async (ds: typeof shopDataset) => {
      let all = '';
      for await (const c of generateCopyChunks({ dataset: ds, profile: 'small', seed: 42 })) all += c.text;
      return all;
    };
    expect(await text(loaded)).toBe(await text(shopDataset));
  });

  it('says what is wrong: a missing file, a missing export, a syntax error, an invalid declaration', async () => {
    await expect(loadDataset(join(dir, 'nope.ts'))).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('expected a dataset file at'),
    });
    await expect(loadDataset(fixture, { exportName: 'other' })).rejects.toMatchObject({
      message: expect.stringContaining(
        'to export "other" made by defineDataset(), found exports: shopDataset, shopSchemaSql',
      ),
    });
    const broken = join(dir, 'broken.ts');
    await writeFile(broken, 'export const x = ;\n');
    await expect(loadDataset(broken)).rejects.toMatchObject({ code: 'DATASET_INVALID', location: { line: 1 } });
    const invalid = join(dir, 'invalid.ts');
    const lib = fileURLToPath(new URL('./index.ts', import.meta.url));
    await writeFile(
      invalid,
      `import { defineDataset, gen } from ${JSON.stringify(lib)};\nexport const d = defineDataset({ name: 'x', schemaSql: 'CREATE TABLE t (id int);', tables: { t: { volume: { small: 1, 'production-like': 1 }, columns: { id: { type: 'int', generator: gen.ref('ghost') } } } } });\n`,
    );
    await expect(loadDataset(invalid)).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      problems: [{ path: 'tables.t.columns.id' }],
      location: { file: invalid },
    });
  });
});
