import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { axeViolations, launchChromium, type TestBrowser } from '@shipgate/console/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostile, realRun, shownAs, type RealRun } from './testing/real-run';
import { spawnConsole, type SpawnedConsole } from './testing/spawn-console';

// The console in a real browser (Debian's Chromium through playwright-core) over a ledger that a real
// run on local-cloud produced: deploys, a failed deploy, a rollback, a gate that blocked and passed.
const shots = fileURLToPath(new URL('../../../../test-output/console/', import.meta.url));
let run: RealRun;
let browser: TestBrowser;
let server: SpawnedConsole;
let page: Page;
/** Requests the pages made that did not go to the console itself. */
const outside: string[] = [];
const consoleErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  // The browser first: when none can start, say so before spending a minute on the run.
  browser = await launchChromium();
  run = await realRun(22500);
  server = await spawnConsole(
    ['--config', run.h.configFile, '--state', run.h.stateDir, '--policy-profile', 'local-rehearsal'],
    run.h.env,
  );
  page = await browser.context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(server.origin)) outside.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await browser?.close();
  await run?.h.close();
});

async function visit(path: string) {
  const response = await page.goto(server.origin + path);
  expect(response!.status(), path).toBe(200);
}
async function shot(name: string, fullPage = true) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}
async function accessible(name: string) {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}
const text = (selector: string) => page.locator(selector).innerText();

describe('the console in Chromium over a real run (#16)', () => {
  it('clicks board → release → decision → deployment → audit, with the content, charts and no outside request', async () => {
    // The chain is verified in the background and the badge is rendered by the server: reload until the
    // check has finished (on a loaded machine it can take longer than the first page does).
    await expect
      .poll(
        async () => {
          await visit('/');
          return text('#chain-badge');
        },
        { timeout: 120_000, interval: 500 },
      )
      .toMatch(/audit chain intact: \d+ entries/);
    const production = page.locator('table[data-environment="production"] tr[data-service="sample-service"]');
    const test = page.locator('table[data-environment="test"] tr[data-service="sample-service"]');
    // After the rollback, production serves v1 again; test serves v2 (v3's deploy failed).
    expect(await production.innerText()).toContain(run.h.releases.v1.id);
    expect(await test.innerText()).toContain(run.passed);
    expect(await test.innerText()).toContain('rolled-back');
    await accessible('board');
    await shot('1-board');

    await test.getByRole('link', { name: run.passed }).first().click();
    await page.waitForURL(`**/releases/${run.passed}`);
    expect(await text('#release-id')).toBe(run.passed);
    expect(await text('#evidence')).toMatch(/qa\s+test/);
    // Signed by test's CI identity (the rehearsal key under the profile) and by carol's SSH key.
    expect(await page.locator('#evidence [data-state="verified"]').count()).toBe(3);
    // The release record itself: signed by the build identity (the rehearsal key under the profile).
    expect(await page.locator('#release-verification [data-state="verified"]').count()).toBe(1);
    expect(await text('#release-authors')).toBe('none recorded (signed)');
    expect(await text('.qa h3')).toContain('25 passed, 0 failed, 0 errors, 0 skipped of 25');
    expect(await text('#approvals')).toMatch(/carol\s+approved\s+evidence reviewed/);
    // Both k6 charts drew a canvas.
    // Charts draw in the browser after load; give them time on a loaded machine.
    await expect.poll(() => page.locator('.stress [data-rendered="true"] canvas').count(), { timeout: 30_000 }).toBe(2);
    await accessible('release');
    await shot('2-release');

    await page.getByRole('link', { name: 'The gate for production, evaluated now' }).click();
    await page.waitForURL('**/decision/production');
    expect(await text('#decision-outcome')).toContain('pass');
    const statuses = await page.locator('#requirements tbody tr td:nth-child(2)').allInnerTexts();
    expect(statuses.length).toBeGreaterThanOrEqual(8);
    expect(new Set(statuses)).toEqual(new Set(['pass']));
    await accessible('decision');
    await shot('3-decision');

    await page.goBack();
    await page.getByRole('link', { name: run.deployments.productionDeploy }).click();
    await page.waitForURL(`**/deployments/${run.deployments.productionDeploy}`);
    expect(await text('#deployment-outcome')).toContain('rolled-back');
    expect(await text('#lifecycle')).toMatch(/AllowTraffic\s+succeeded/);
    expect(await text('#verification')).toMatch(/pass 10 of 10 requests named the release/);
    await expect
      .poll(() => page.locator('[data-chart][data-rendered="true"] canvas').count(), { timeout: 30_000 })
      .toBe(1);
    // The linear shift is in the recorded split: more than two steps from 0 to 100 %.
    const split = await page.locator('.chart-figure table tbody tr').count();
    expect(split).toBeGreaterThan(3);
    expect(await text('#rollbacks')).toContain(run.deployments.productionRollback);
    await accessible('deployment');
    await shot('4-deployment');

    await page.getByRole('link', { name: 'In the audit log' }).click();
    await page.waitForURL('**/audit?deployment=*');
    expect(await text('#chain-verdict')).toMatch(/Hash chain intact/);
    const actions = await page.locator('#audit-entries tbody tr td:nth-child(4)').allInnerTexts();
    expect(actions).toEqual(expect.arrayContaining(['deploy.start', 'deploy.finish']));
    await accessible('audit');
    await shot('5-audit');

    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('lists the releases, newest first', async () => {
    await visit('/releases');
    const listed = await text('#releases');
    for (const r of [run.h.releases.v1, run.h.releases.v2, run.h.releases.v3, run.h.releases.other])
      expect(listed).toContain(r.id);
    await accessible('releases');
  });

  it('shows the blocked gate and the failed deploy with its explanation', async () => {
    await visit(`/releases/${run.blocked}/decision/production`);
    expect(await text('#decision-outcome')).toContain('block');
    expect(await text('[data-requirement="qa.failures"]')).toContain('fail');
    expect(await text('[data-requirement="approvals"]')).toContain('fail');
    await visit(`/deployments/${run.deployments.failedTestDeploy}`);
    expect(await text('#deployment-outcome')).toContain('rolled-back');
    expect(await text('.failure')).toMatch(/Install/);
    await accessible('failed deployment');
    await shot('6-failed-deployment');
    await visit(`/deployments/${run.deployments.productionRollback}`);
    expect(await page.locator('#deployment-reason').textContent()).toBe(shownAs(run.rollbackReason));
    expect(await text('#time-to-restore')).toMatch(/\d/);
  });

  it('shows a hostile test name and audit detail as text: nothing runs, nothing is injected', async () => {
    await visit(`/releases/${run.blocked}`);
    const name = page.locator('.qa .test-name');
    // Markup and quotes as written; DEL, a C1 control and a bidi override as visible escapes.
    expect(await name.textContent()).toBe(shownAs(hostile));
    await visit(`/audit?action=rollback`);
    expect(await text('#audit-entries')).toContain('<img src=x onerror=');
    await visit(`/deployments/${run.deployments.productionRollback}`);
    for (const path of [`/releases/${run.blocked}`, '/audit?action=rollback']) {
      await visit(path);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(2); // uPlot and console.js, nothing else
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    expect(dialogs).toEqual([]);
    await shot('7-hostile');
  });

  it('copies the next command; the keyboard reaches the skip link and the navigation', async () => {
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await visit(`/releases/${run.blocked}/decision/production`);
    const first = page.locator('.next-command code').first();
    await page.locator('.next-command button.copy').first().click();
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            (
              globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
            ).navigator.clipboard.readText(),
          ),
        { timeout: 30_000 },
      )
      .toBe(await first.innerText());
    expect(await first.innerText()).toMatch(
      /^shipgate --config \S+ --state \S+ --policy-profile local-rehearsal gate production --service sample-service --release rel-/,
    );
    await visit('/');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement?: { textContent: string | null } } }).document
            .activeElement?.textContent,
      ),
    ).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement?: { textContent: string | null } } }).document
            .activeElement?.textContent,
      ),
    ).toBe('shipgate console');
  });

  it('refuses another Host (DNS rebinding) and anything but GET; sends a strict CSP', async () => {
    const port = new URL(server.origin).port;
    // fetch() sets Host itself; node:http sends the one a rebinding page's browser would.
    const rebound = await new Promise<number>((resolve, reject) =>
      request(server.origin + '/', { headers: { host: `attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(421);
    const post = await fetch(server.origin + '/', { method: 'POST' });
    expect(post.status).toBe(405);
    const ok = await fetch(server.origin + '/');
    expect(ok.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('updates the audit badge by itself, without a reload, when someone edits the log (#16)', async () => {
    const copy = join(run.h.dir, 'edited-live');
    await cp(run.h.stateDir, copy, { recursive: true });
    const live = await spawnConsole(
      ['--config', run.h.configFile, '--state', copy, '--policy-profile', 'local-rehearsal'],
      run.h.env,
    );
    try {
      await page.goto(live.origin + '/');
      await page.evaluate(() => ((globalThis as { __sameLoad?: number }).__sameLoad = 1));
      // The first walk ends while the page is open, or had ended: either way no reload.
      await expect.poll(() => text('#chain-badge'), { timeout: 120_000, interval: 500 }).toMatch(/audit chain intact/);
      const entry = join(copy, 'audit/000000000007.json');
      await writeFile(entry, (await readFile(entry, 'utf8')).replace(/"actor":"[^"]*"/, '"actor":"mallory"'));
      await expect
        .poll(() => text('#chain-badge'), { timeout: 120_000, interval: 500 })
        .toBe('audit chain BROKEN at entry #7');
      expect(await page.locator('#chain-badge').getAttribute('href')).toBe('/audit#entry-7');
      expect(await page.locator('#chain-badge').getAttribute('data-state')).toBe('broken');
      expect(await page.evaluate(() => (globalThis as { __sameLoad?: number }).__sameLoad)).toBe(1);
      await accessible('live badge');
    } finally {
      await live.stop();
    }
  });

  it('shows a production deploy in flight with its traffic split, as its deploy reports it (#16)', async () => {
    // v2 passed the gate for production; deploying it again takes the linear shift (10 steps).
    const deploying = run.sg(['deploy', 'production', '--service', 'sample-service', '--release', run.passed], 'carol');
    const cell = page.locator('table[data-environment="production"] tr[data-service="sample-service"] .in-flight');
    try {
      await expect
        .poll(
          async () => {
            await visit('/');
            return (await cell.count()) ? cell.first().innerText() : '';
          },
          { timeout: 120_000, interval: 500 },
        )
        .toMatch(/traffic \d+% original \/ \d+% replacement/);
      const shown = await cell.first().innerText();
      expect(shown).toContain(`deploy of ${run.passed}`);
      expect(shown).toMatch(/phase: \w+/);
      expect(shown).toMatch(/reported by the deploy in flight at .* UTC; unsigned until it finishes/);
      await accessible('in flight');
      await shot('9-in-flight');
    } finally {
      const done = await deploying;
      expect(done.code, done.err).toBe(0);
    }
  });

  it('names the entry that breaks the chain after someone edits the audit log', async () => {
    const copy = join(run.h.dir, 'tampered');
    await cp(run.h.stateDir, copy, { recursive: true });
    const entry = join(copy, 'audit/000000000005.json');
    await writeFile(entry, (await readFile(entry, 'utf8')).replace(/"actor":"[^"]*"/, '"actor":"mallory"'));
    const tampered = await spawnConsole(
      ['--config', run.h.configFile, '--state', copy, '--policy-profile', 'local-rehearsal'],
      run.h.env,
    );
    try {
      await page.goto(tampered.origin + '/audit?limit=5000');
      expect(await text('#chain-verdict')).toMatch(/Hash chain BROKEN at entry #5/);
      expect(await page.locator('#entry-5').getAttribute('class')).toBe('broken');
      expect(await text('#entry-5')).toContain('breaks the chain');
      await accessible('broken chain');
      await shot('8-broken-chain', false);
    } finally {
      await tampered.stop();
    }
  });
});
