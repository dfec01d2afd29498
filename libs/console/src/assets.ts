import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** A static file the pages load: its bytes and content type. */
export interface Asset {
  body: Uint8Array;
  type: string;
}

// Everything a page loads is served by the console itself, from node_modules and this package's
// assets/ (resolved as packages, so that it works from the sources and from the bundled CLI alike).
const files: Record<string, { module: string; type: string }> = {
  'uPlot.iife.min.js': { module: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { module: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
  'console.js': { module: '@shipgate/console/assets/console.js', type: 'text/javascript; charset=utf-8' },
  'console.css': { module: '@shipgate/console/assets/console.css', type: 'text/css; charset=utf-8' },
};

/** Reads every asset once, at start: a missing one fails the start, not a page. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const require = createRequire(import.meta.url);
  const loaded = new Map<string, Asset>();
  for (const [name, f] of Object.entries(files)) {
    loaded.set(name, { body: await readFile(require.resolve(f.module)), type: f.type });
  }
  return loaded;
}
