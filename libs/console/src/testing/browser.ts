import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs the `chromium` package when it is missing. */
export const chromiumPath = process.env.SHIPGATE_CHROMIUM ?? '/usr/bin/chromium';

// The network is closed here: no first-run pages, update checks, sync or QUIC probes.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium with a fresh profile, and its removal. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Debian's Chromium through playwright-core with a fresh --user-data-dir. When it cannot start,
 * the error says so plainly (and how to install it), so that a missing browser never reads as a
 * failing page.
 */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `no browser could be started: ${chromiumPath} does not exist. Install Debian's Chromium (apt-get install -y chromium) or set SHIPGATE_CHROMIUM`,
    );
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'shipgate-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`no browser could be started from ${chromiumPath}: ${(error as Error).message}`);
  }
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** One accessibility finding of axe-core. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page (WCAG 2 A and AA rules: labels, headings, contrast, landmarks). It is
 * evaluated over the DevTools protocol, so the page's CSP, which refuses injected scripts, stays on.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (
      result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]
    ).map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
