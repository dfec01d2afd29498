import type { Metafile } from 'esbuild';

/** The k6 scripts, by bundle name. */
export declare const scripts: Record<string, string>;
/** Builds the bundles into `outdir` (relative to loadtests/, default dist); returns esbuild's metafile. */
export declare function buildLoadTests(options?: { outdir?: string; quiet?: boolean }): Promise<Metafile>;
