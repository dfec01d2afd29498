import { isShipgateError, type Evidence, type Release } from '@shipgate/model';
import type { GateTrust } from '@shipgate/promotion-gate';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { allowedHost, securityHeaders, tokenMatches } from './access';
import type { Asset } from './assets';
import { AuditChainWatch } from './audit-status';
import { boardDetermined, boardRows } from './board-model';
import { DeploymentSnapshot, type SnapshotOptions } from './deployment-snapshot';
import { nextEnvironment, type ConsoleSource } from './console-source';
import { html, type Html } from './html';
import { auditPage, type AuditFilters } from './pages/audit';
import { boardPage } from './pages/board';
import { decisionPage } from './pages/decision';
import { deploymentPage } from './pages/deployment';
import { chainBadgeView, layout, type PageFrame } from './pages/layout';
import { releasePage } from './pages/release';
import { releasesPage } from './pages/releases';
import { releaseVerificationOf, verificationOf, type VerificationStatus } from './verification';

/** How the console app is set up. */
export interface ConsoleAppOptions {
  source: ConsoleSource;
  assets: Map<string, Asset>;
  /** Where the server listens: the Host header must name it (DNS rebinding). */
  listen: { host: string; port: () => number };
  /** When set, every request must present it (cookie, bearer header, or ?token= once). */
  token?: string;
  /** How the deployment snapshot refreshes (tests and the bench set it). */
  snapshot?: SnapshotOptions;
  /** How old the chain's verdict may be when the badge polls before a new walk starts (default 10 s). */
  badgeMaxAgeMs?: number;
}

const cookieName = 'shipgate_console';

/** The console's routes over a ledger. GET and HEAD only: it changes nothing. */
export function createConsoleApp(options: ConsoleAppOptions): {
  app: Hono;
  chain: AuditChainWatch;
  snapshot: DeploymentSnapshot;
} {
  const { source, assets, token } = options;
  const chain = new AuditChainWatch(source.ledger, source.clock);
  // The board answers from the newest records as soon as every cell is determined (#16).
  const snapshot = new DeploymentSnapshot(source.ledger, source.clock, {
    enough: (deployments, horizon) => boardDetermined(source.environments, deployments, horizon),
    ...options.snapshot,
  });
  const releaseCache = new Map<string, Release>();
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(securityHeaders)) c.res.headers.set(name, value);
  });
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      return c.text('the console is read-only: GET only', 405, { Allow: 'GET, HEAD' });
    if (!allowedHost(options.listen.host, options.listen.port(), c.req.header('host')))
      return c.text('unexpected Host header: open the console by the address it printed', 421);
    if (token !== undefined) {
      const query = c.req.query('token');
      if (query !== undefined && tokenMatches(token, query)) {
        // Trade the token in the address for a cookie, and drop it from the address (history, logs).
        setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return c.redirect(url.pathname + url.search, 303);
      }
      const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      if (!tokenMatches(token, getCookie(c, cookieName)) && !tokenMatches(token, bearer))
        return c.text('access token required: open the address the console printed (with ?token=…)', 401);
    }
    return next();
  });

  const frame = (title: string, section: PageFrame['section'], readAt?: string): PageFrame => ({
    title,
    section,
    chain: chain.latest(),
    stateLocation: source.stateLocation,
    ...(readAt ? { readAt } : {}),
  });
  const page = (c: Context, f: PageFrame, body: Html, status: 200 | 404 | 500 = 200) =>
    c.html(String(layout(f, body)), status);
  const prefix = source.commandPrefix;

  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.text('not found', 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': asset.type });
  });

  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/', async (c) => {
    const snap = await snapshot.latest();
    const rows = boardRows(source.environments, snap.deployments);
    const releases = await releasesById(
      source,
      releaseCache,
      rows.flatMap((r) => [r.servingReleaseId, r.lastKnownGood?.releaseId]),
    );
    return page(
      c,
      frame('Environments', 'board', snap.readAt),
      boardPage({ rows, releases, commandPrefix: prefix, nextOf: (env) => nextEnvironment(source, env) }),
    );
  });

  app.get('/releases', async (c) => {
    const service = c.req.query('service') || undefined;
    const pageNo = Math.max(0, Math.floor(Number(c.req.query('page') ?? 0)) || 0);
    const all = await source.ledger.releases.list(service ? { service } : {});
    return page(c, frame('Releases', 'releases'), releasesPage(all, pageNo, 100, prefix, service));
  });

  app.get('/releases/:id', async (c) => {
    const release = await source.ledger.releases.get(c.req.param('id'));
    const [evidence, decisions, snap] = await Promise.all([
      source.ledger.evidence.list({ releaseId: release.id }),
      source.ledger.decisions.list({ releaseId: release.id }),
      // Its deployments started after it was created.
      snapshot.covering(Date.parse(release.createdAt)),
    ]);
    const deployments = snap.deployments.filter((d) => d.releaseId === release.id);
    const { evidence: verification, release: releaseVerification } = await verifyAll(source, release, evidence);
    return page(
      c,
      frame(`Release ${release.id}`, 'releases', snap.readAt),
      releasePage({
        release,
        releaseVerification,
        evidence,
        verification,
        decisions,
        deployments,
        environments: source.environments.map((e) => e.name),
        commandPrefix: prefix,
      }),
    );
  });

  app.get('/releases/:id/decision/:env', async (c) => {
    const release = await source.ledger.releases.get(c.req.param('id'));
    const env = c.req.param('env');
    if (!source.environments.some((e) => e.name === env))
      return notFound(c, `no environment named "${env}" in shipgate.yaml`);
    const decision = await source.decide(release, env);
    return page(c, frame(`Gate for ${release.id} into ${env}`, 'other'), decisionPage(release, decision, prefix));
  });

  app.get('/deployments/:id', async (c) => {
    const id = c.req.param('id');
    const deployment = await source.ledger.deployments.get(id).catch(() => undefined);
    if (!deployment) return notFound(c, `no deployment ${id} in the ledger`);
    // The record itself is read now; the rollbacks that name it (started after it) from the snapshot.
    const snap = await snapshot.covering(Date.parse(deployment.startedAt));
    const here = snap.deployments.filter(
      (d) => d.service === deployment.service && d.environment === deployment.environment,
    );
    const rolledBack = deployment.rolledBackDeploymentId
      ? await source.ledger.deployments.get(deployment.rolledBackDeploymentId).catch(() => undefined)
      : undefined;
    return page(
      c,
      frame(`Deployment ${id}`, 'other', snap.readAt),
      deploymentPage({
        deployment,
        rollbacks: here.filter((d) => d.kind === 'rollback' && d.rolledBackDeploymentId === id),
        ...(rolledBack ? { rolledBack } : {}),
        commandPrefix: prefix,
      }),
    );
  });

  // What the badge on every page polls (console.js): the chain's latest verdict, never waiting for a
  // walk; an older verdict (10 s by default) starts a new one in the background.
  const badgeMaxAgeMs = options.badgeMaxAgeMs ?? 10_000;
  app.get('/audit/status.json', (c) => c.json(chainBadgeView(chain.recent(badgeMaxAgeMs))));

  app.get('/audit', async (c) => {
    const q = (k: string) => c.req.query(k)?.trim() || undefined;
    const limit = Math.min(5000, Math.max(1, Math.floor(Number(q('limit') ?? 200)) || 200));
    const filters: AuditFilters = { limit };
    for (const k of ['release', 'environment', 'service', 'actor', 'action', 'deployment'] as const) {
      const v = q(k);
      if (v) filters[k] = v;
    }
    let releaseId = filters.release;
    if (releaseId) releaseId = (await source.ledger.releases.get(releaseId)).id;
    const [status, entries] = await Promise.all([
      chain.fresh(2_000),
      source.ledger.audit.list({
        ...(releaseId ? { releaseId } : {}),
        ...(filters.environment ? { environment: filters.environment } : {}),
        ...(filters.service ? { service: filters.service } : {}),
        ...(filters.actor ? { actor: filters.actor } : {}),
        ...(filters.action ? { action: filters.action } : {}),
        ...(filters.deployment ? { deploymentId: filters.deployment } : {}),
        limit,
      }),
    ]);
    return page(c, { ...frame('Audit log', 'audit'), chain: status }, auditPage(status, filters, entries, prefix));
  });

  const notFound = (c: Context, message: string) =>
    page(
      c,
      frame('Not found', 'other'),
      html`<h1>Not found</h1>
        <p>${message}</p>`,
      404,
    );

  app.onError((error, c) => {
    if (isShipgateError(error) && /NOT_FOUND|AMBIGUOUS/.test(error.code))
      return notFound(c, `${error.message}${error.hint ? ` ${error.hint}` : ''}`);
    const message = isShipgateError(error)
      ? `${error.code}: ${error.message}`
      : 'an internal error; see the console’s terminal';
    if (!isShipgateError(error)) console.error(error);
    return page(
      c,
      frame('Error', 'other'),
      html`<h1>Could not read the ledger</h1>
        <p>${message}</p>`,
      500,
    );
  });
  app.notFound((c) => notFound(c, `nothing at ${new URL(c.req.url).pathname}`));
  return { app, chain, snapshot };
}

/** The releases named, read one by one (never the whole release list). */
/** The releases named, each read once (releases are immutable), never the whole release list. */
async function releasesById(
  source: ConsoleSource,
  cache: Map<string, Release>,
  ids: (string | undefined)[],
): Promise<Map<string, Release>> {
  const wanted = [...new Set(ids.filter((i): i is string => Boolean(i)))];
  await Promise.all(
    wanted
      .filter((id) => !cache.has(id))
      .map(async (id) => {
        const r = await source.ledger.releases.get(id).catch(() => undefined);
        if (r) cache.set(id, r);
      }),
  );
  return new Map(wanted.flatMap((id) => (cache.has(id) ? [[id, cache.get(id)!] as const] : [])));
}

/**
 * The verification status of each evidence record, under the trust policy of the environment it names,
 * and of the release record itself (the build identity's signature, which every environment's trust
 * policy holds alike: read with the first environment's).
 */
async function verifyAll(
  source: ConsoleSource,
  release: Release,
  evidence: readonly Evidence[],
): Promise<{ evidence: Map<string, VerificationStatus>; release: ReturnType<typeof releaseVerificationOf> }> {
  const trust = new Map<string, Promise<GateTrust | Error | undefined>>();
  const trustOf = (env: string) => {
    let t = trust.get(env);
    if (!t) {
      t = source.trustFor
        ? source.trustFor(env).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
        : Promise.resolve(undefined);
      trust.set(env, t);
    }
    return t;
  };
  const now = source.clock.now();
  const out = new Map<string, VerificationStatus>();
  for (const e of evidence) out.set(e.id, verificationOf(e, release, await trustOf(e.environment), now));
  const first = source.environments[0]?.name;
  return {
    evidence: out,
    release: releaseVerificationOf(release, first ? await trustOf(first) : undefined, now),
  };
}
