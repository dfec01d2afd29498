import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ShipgateError } from '@shipgate/model';
import { fetchGithubApprovals, nextLink } from './github-approvals';

const token = 'ghs_FAKEtoken0123456789abcdefTESTONLY';

/** A review entry shaped like GitHub's `environment-approvals` schema. */
function review(login: string, state: 'approved' | 'rejected' | 'pending', environments: string[], comment = '') {
  return {
    state,
    comment,
    user: {
      login,
      id: login.length * 1000,
      node_id: `U_${login}`,
      type: 'User',
      site_admin: false,
      html_url: `https://github.com/${login}`,
    },
    environments: environments.map((name, i) => ({
      id: 160000 + i,
      node_id: `EN_${name}`,
      name,
      url: `https://api.github.com/repos/acme/shop/environments/${name}`,
      html_url: `https://github.com/acme/shop/deployments/activity_log?environments_filter=${name}`,
      created_at: '2026-01-05T10:00:00Z',
      updated_at: '2026-05-01T10:00:00Z',
    })),
  };
}

const pages = [
  [
    review('alice', 'approved', ['production'], 'LGTM | ship it'),
    review('bob', 'pending', ['production'], 'looking'),
    review('carol', 'approved', ['staging']),
  ],
  [review('dave', 'rejected', ['production', 'staging'], 'p95 regressed')],
];

describe('fetchGithubApprovals against a local stand-in for the GitHub REST API', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  let mode: 'ok' | 401 | 403 | 404 | 500 | 'echo-error' | 'echo-html' | 'echo-comment' = 'ok';

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const url = new URL(req.url ?? '/', base);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      // A server (or a proxy in front of it) that echoes the request it got, Authorization included.
      const echoed = String(req.headers.authorization ?? '');
      if (mode === 'echo-error') {
        res.writeHead(422).end(JSON.stringify({ message: `Validation Failed for request with ${echoed}` }));
        return;
      }
      if (mode === 'echo-html') {
        res.setHeader('content-type', 'text/html');
        res.writeHead(200).end(`<html><body>Request headers: authorization=${echoed}</body></html>`);
        return;
      }
      if (mode === 'echo-comment') {
        res.writeHead(200).end(JSON.stringify([review('erin', 'approved', ['production'], `ok ${echoed}`)]));
        return;
      }
      if (mode !== 'ok') {
        const message = {
          401: 'Bad credentials',
          403: 'Resource not accessible by integration',
          404: 'Not Found',
          500: 'Server Error',
        }[mode];
        res
          .writeHead(mode)
          .end(JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest', status: String(mode) }));
        return;
      }
      if (
        url.pathname !== '/repos/acme/shop/actions/runs/9876543210/approvals' ||
        req.headers.authorization !== `Bearer ${token}`
      ) {
        res.writeHead(404).end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      const page = Number(url.searchParams.get('page') ?? '1');
      const last = pages.length;
      const link = (p: number) => `<${base}/repos/acme/shop/actions/runs/9876543210/approvals?per_page=100&page=${p}>`;
      const links = [
        page < last ? `${link(page + 1)}; rel="next"` : '',
        `${link(last)}; rel="last"`,
        page > 1 ? `${link(1)}; rel="first"` : '',
      ].filter(Boolean);
      res.setHeader('link', links.join(', '));
      res.writeHead(200).end(JSON.stringify(pages[page - 1] ?? []));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen.length = 0;
    mode = 'ok';
  });

  const options = () => ({
    apiUrl: base,
    token,
    repository: 'acme/shop',
    runId: 9876543210,
    environment: 'production',
  });

  it('follows Link pagination and keeps verdicts for the environment only', async () => {
    const approvals = await fetchGithubApprovals(options());
    expect(approvals).toEqual([
      { approver: 'alice', state: 'approved', comment: 'LGTM | ship it', via: 'github', environments: ['production'] },
      {
        approver: 'dave',
        state: 'rejected',
        comment: 'p95 regressed',
        via: 'github',
        environments: ['production', 'staging'],
      },
    ]);
    expect(seen.map((s) => s.url)).toEqual([
      '/repos/acme/shop/actions/runs/9876543210/approvals?per_page=100',
      '/repos/acme/shop/actions/runs/9876543210/approvals?per_page=100&page=2',
    ]);
  });

  it('sends the headers GitHub documents', async () => {
    await fetchGithubApprovals(options());
    for (const { headers } of seen) {
      expect(headers.authorization).toBe(`Bearer ${token}`);
      expect(headers.accept).toBe('application/vnd.github+json');
      expect(headers['x-github-api-version']).toBe('2022-11-28');
      expect(headers['user-agent']).toBe('shipgate');
    }
  });

  const failureOf = async (status: 401 | 403 | 404 | 500) => {
    mode = status;
    const error = await fetchGithubApprovals(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShipgateError);
    const e = error as ShipgateError;
    expect(`${e.message} ${e.hint} ${JSON.stringify(e.toJSON())}`).not.toContain(token);
    return e;
  };

  it('explains 401, 403 and 404 without printing the token', async () => {
    expect((await failureOf(401)).message).toBe(
      `expected GitHub to accept the token for ${base}/repos/acme/shop/actions/runs/9876543210/approvals, found HTTP 401 "Bad credentials"`,
    );
    const forbidden = await failureOf(403);
    expect(forbidden.message).toBe(
      'expected read access to the workflow runs of acme/shop, found HTTP 403 "Resource not accessible by integration"',
    );
    expect(forbidden.hint).toContain('actions: read');
    expect((await failureOf(404)).message).toBe(
      'expected workflow run 9876543210 in acme/shop, found HTTP 404 "Not Found"',
    );
    expect((await failureOf(500)).code).toBe('NETWORK_ERROR');
  });

  it('never echoes the token when the response body carries it (#11.17)', async () => {
    for (const echo of ['echo-error', 'echo-html'] as const) {
      mode = echo;
      const error = (await fetchGithubApprovals(options()).catch((e: unknown) => e)) as ShipgateError;
      expect(error, echo).toBeInstanceOf(ShipgateError);
      expect(error.code).toBe('NETWORK_ERROR');
      const shown = `${error.message} ${error.hint} ${JSON.stringify(error.toJSON())} ${String(error.cause ?? '')}`;
      expect(shown, echo).not.toContain(token);
      expect(shown, echo).not.toContain(token.slice(4, 20));
    }
    mode = 'echo-error';
    expect(((await fetchGithubApprovals(options()).catch((e: unknown) => e)) as ShipgateError).message).toBe(
      `expected the review history of run 9876543210 from ${base}/repos/acme/shop/actions/runs/9876543210/approvals, found HTTP 422 "Validation Failed for request with Bearer ***"`,
    );
    mode = 'echo-comment';
    const [approval] = await fetchGithubApprovals(options());
    expect(approval!.comment).toBe('ok Bearer ***');
  });

  it('refuses bad arguments before any request', async () => {
    await expect(fetchGithubApprovals({ ...options(), repository: 'shop' })).rejects.toThrow(
      'expected the repository as owner/repo, found "shop"',
    );
    await expect(fetchGithubApprovals({ ...options(), runId: '12; rm' })).rejects.toThrow(
      'expected a numeric workflow run id',
    );
    expect(seen).toHaveLength(0);
  });

  it('says when GitHub cannot be reached', async () => {
    const error = (await fetchGithubApprovals({ ...options(), apiUrl: 'http://127.0.0.1:9' }).catch(
      (e: unknown) => e,
    )) as ShipgateError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(/^expected to reach http:\/\/127\.0\.0\.1:9, found /);
  });
});

describe('nextLink', () => {
  it('finds rel="next" among other relations', () => {
    expect(
      nextLink(
        '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      ),
    ).toBe('https://api.github.com/x?page=3');
    expect(nextLink('<https://api.github.com/x?page=5>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
