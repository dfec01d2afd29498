import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dataset, Profile } from './define-dataset';
import { defineDataset, isDataset } from './define-dataset';

/**
 * How to make a loaded dataset again in another thread: generator functions cannot be sent to a worker, so
 * the worker imports the same bundle loadDataset imported and picks the same export.
 */
export interface DatasetSource {
  /** The bundled JavaScript of the dataset file (esbuild's output). */
  code: string;
  /** The export that holds the dataset. */
  exportName: string;
  /** The file it was bundled from, for messages. */
  file: string;
  /** Volumes replaced after loading (withVolumes), by table. */
  volumes?: Record<string, Record<Profile, number>>;
}

const sources = new WeakMap<Dataset, DatasetSource>();

/** Where a dataset came from, if loadDataset loaded it (a dataset defined in this process has none). */
export function datasetSource(dataset: Dataset): DatasetSource | undefined {
  return sources.get(dataset);
}

/** Records where a loaded dataset came from (loadDataset). */
export function recordSource(dataset: Dataset, source: DatasetSource): Dataset {
  sources.set(dataset, source);
  return dataset;
}

/** Imports bundled module code from a temporary file (removed at once: the module stays loaded). */
export async function importBundle(code: string): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-dataset-'));
  try {
    const bundle = join(dir, 'dataset.mjs');
    await writeFile(bundle, code);
    return (await import(pathToFileURL(bundle).href)) as Record<string, unknown>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Makes a loaded dataset again from its source (in a worker thread): the same export, the same volumes. */
export async function datasetFromSource(source: DatasetSource): Promise<Dataset> {
  const chosen = (await importBundle(source.code))[source.exportName];
  if (!isDataset(chosen)) throw new Error(`${source.file} no longer exports a dataset as "${source.exportName}"`);
  return source.volumes ? withVolumes(chosen, source.volumes) : chosen;
}

/**
 * The dataset with some tables' volumes replaced (a benchmark scales a dataset this way), validated again;
 * a loaded dataset keeps its source, so it can still be generated in a worker thread.
 */
export function withVolumes(dataset: Dataset, volumes: Record<string, Record<Profile, number>>): Dataset {
  const tables = Object.fromEntries(
    Object.entries(dataset.tables).map(([name, table]) => [
      name,
      volumes[name] ? { ...table, volume: volumes[name] } : table,
    ]),
  );
  const next = defineDataset({
    name: dataset.name,
    schemaSql: dataset.schemaSql,
    ...(dataset.description !== undefined ? { description: dataset.description } : {}),
    ...(dataset.mysqlSchemaSql !== undefined ? { mysqlSchemaSql: dataset.mysqlSchemaSql } : {}),
    tables,
  });
  const source = sources.get(dataset);
  if (source) sources.set(next, { ...source, volumes: { ...source.volumes, ...volumes } });
  return next;
}
