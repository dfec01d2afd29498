import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { ShipgateError, isShipgateError } from '@shipgate/model';
import type { Dataset } from './define-dataset';
import { importBundle, recordSource } from './dataset-source';
import { isDataset } from './define-dataset';

/**
 * Bare imports that resolve to JavaScript (faker, pg) stay external, pointed at their absolute file so the
 * temp bundle finds them from anywhere; those that resolve to TypeScript (workspace packages such as
 * @shipgate/seeding) are bundled, since Node cannot import .ts.
 */
const externalJavaScript: Plugin = {
  name: 'shipgate-external-js',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      const found = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
      if (found.errors.length > 0 || !found.path) return undefined;
      if (/\.(c|m)?tsx?$/.test(found.path)) return { path: found.path };
      return { path: found.external ? args.path : pathToFileURL(found.path).href, external: true };
    });
  },
};

/** Loads a dataset from a TypeScript file (the path in shipgate.yaml): bundles it with esbuild to a temp .mjs and imports it. */
export async function loadDataset(path: string, options: { exportName?: string; cwd?: string } = {}): Promise<Dataset> {
  const file = resolve(options.cwd ?? process.cwd(), path);
  if (!existsSync(file)) {
    throw new ShipgateError('DATASET_INVALID', `expected a dataset file at ${path}, found none`, {
      location: { file: path },
      hint: 'Check services.<name>.seed.dataset in shipgate.yaml.',
    });
  }
  let code: string;
  try {
    const out = await build({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [externalJavaScript],
    });
    code = out.outputFiles[0]?.text ?? '';
  } catch (cause) {
    const first = (cause as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] })
      .errors?.[0];
    throw new ShipgateError(
      'DATASET_INVALID',
      `could not compile dataset file ${path}: ${first?.text ?? (cause as Error).message}`,
      {
        location: first?.location
          ? { file: first.location.file, line: first.location.line, column: first.location.column }
          : { file: path },
      },
    );
  }
  let module: Record<string, unknown>;
  try {
    module = await importBundle(code);
  } catch (cause) {
    if (isShipgateError(cause)) {
      // Thrown by the bundled copy of this library (defineDataset's validation): same code, plus the file.
      throw new ShipgateError(cause.code, `${path}: ${cause.message}`, {
        hint: cause.hint,
        problems: cause.problems,
        location: { ...cause.location, file: path },
      });
    }
    throw new ShipgateError('DATASET_INVALID', `loading dataset file ${path} failed: ${(cause as Error).message}`, {
      location: { file: path },
      cause,
    });
  }
  const dataset = pickExport(module, path, options.exportName);
  // Kept so that a worker thread can import the same bundle and generate the same rows (chunk-worker.ts).
  const exportName = Object.keys(module).find((name) => module[name] === dataset)!;
  return recordSource(dataset, { code, exportName, file: path });
}

function pickExport(module: Record<string, unknown>, path: string, exportName?: string): Dataset {
  const datasets = Object.entries(module).filter(([, v]) => isDataset(v));
  const chosen = exportName
    ? module[exportName]
    : (module.default ?? (datasets.length === 1 ? datasets[0]![1] : undefined));
  if (!isDataset(chosen)) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected ${path} to export ${exportName ? `"${exportName}"` : 'one dataset'} made by defineDataset(), found exports: ${Object.keys(module).join(', ') || 'none'}`,
      { location: { file: path }, hint: 'Set services.<name>.seed.export in shipgate.yaml to the exported name.' },
    );
  }
  return chosen;
}
