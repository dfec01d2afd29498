import { ShipgateError, redactSecret } from '@shipgate/model';

/** Where to read a workflow run's environment reviews. */
export interface GithubApprovalsOptions {
  /** Default https://api.github.com; GitHub Enterprise Server uses https://HOST/api/v3. */
  apiUrl?: string;
  token: string;
  /** `owner/repo` */
  repository: string;
  runId: string | number;
  /** Only reviews that covered this GitHub environment are returned. */
  environment: string;
  /** Injected for tests of other modules; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Stop after this many pages (a safety net against a Link header that never ends). */
  maxPages?: number;
}

/** One environment review of a run, as shipgate records it. */
export interface GithubApproval {
  approver: string;
  state: 'approved' | 'rejected';
  comment: string;
  via: 'github';
  environments: string[];
}

/** The next page's URL from a `Link` header (RFC 8288), if there is one. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match && /\brel="?next"?/.test(match[2]!)) return match[1];
  }
  return undefined;
}

/**
 * GitHub's `message` from an error body, for the error shipgate prints: the token removed (a proxy or
 * a misbehaving server may echo the request, Authorization header included), and cut short. The
 * rest of the body is never shown.
 */
function serverMessage(body: string, token: string): string {
  let message: string;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    message = typeof parsed?.message === 'string' ? parsed.message : '';
  } catch {
    return '';
  }
  const clean = redactSecret(message, token);
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

function failure(status: number, body: string, where: string, options: GithubApprovalsOptions): ShipgateError {
  const message = serverMessage(body, options.token);
  const found = `HTTP ${status}${message ? ` "${message}"` : ''}`;
  if (status === 401)
    return new ShipgateError('NETWORK_ERROR', `expected GitHub to accept the token for ${where}, found ${found}`, {
      hint: 'The token is missing, expired or revoked; in GitHub Actions pass ${{ github.token }} as GITHUB_TOKEN.',
    });
  if (status === 403) {
    return new ShipgateError(
      'NETWORK_ERROR',
      `expected read access to the workflow runs of ${options.repository}, found ${found}`,
      {
        hint: 'Grant the workflow `permissions: actions: read`, or wait if the API rate limit was hit (see the X-RateLimit-Reset header).',
      },
    );
  }
  if (status === 404)
    return new ShipgateError(
      'NETWORK_ERROR',
      `expected workflow run ${options.runId} in ${options.repository}, found ${found}`,
      {
        hint: 'Check GITHUB_REPOSITORY (owner/repo) and GITHUB_RUN_ID; a private repository also answers 404 to a token without access.',
      },
    );
  return new ShipgateError(
    'NETWORK_ERROR',
    `expected the review history of run ${options.runId} from ${where}, found ${found}`,
    { hint: 'GitHub may be degraded; retry, or approve with `shipgate approve`.' },
  );
}

/**
 * Reads the environment reviews of a GitHub Actions run (`GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`),
 * following `Link` pagination, and returns those that covered `environment`. The token goes only into the
 * Authorization header and never into a message.
 */
export async function fetchGithubApprovals(options: GithubApprovalsOptions): Promise<GithubApproval[]> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
    throw new ShipgateError('USAGE', `expected the repository as owner/repo, found "${options.repository}"`, {
      hint: 'In GitHub Actions this is $GITHUB_REPOSITORY.',
    });
  }
  if (!/^\d+$/.test(String(options.runId)))
    throw new ShipgateError('USAGE', `expected a numeric workflow run id, found "${options.runId}"`, {
      hint: 'In GitHub Actions this is $GITHUB_RUN_ID.',
    });
  if (!options.token)
    throw new ShipgateError('USAGE', "expected a GitHub token to read the run's approvals, found none", {
      hint: 'Set GITHUB_TOKEN.',
    });
  const base = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const where = `${base}/repos/${options.repository}/actions/runs/${options.runId}/approvals`;
  let url: string | undefined = `${where}?per_page=100`;
  const out: GithubApproval[] = [];
  const maxPages = options.maxPages ?? 50;
  for (let page = 0; url !== undefined; page++) {
    if (page >= maxPages)
      throw new ShipgateError(
        'NETWORK_ERROR',
        `expected the review history of run ${options.runId} within ${maxPages} pages, found more`,
        { hint: 'This is not a normal run history; check the API URL.' },
      );
    // Only follow pages on the same origin, so that a redirected Link can never receive the token.
    if (new URL(url).origin !== new URL(base).origin)
      throw new ShipgateError(
        'NETWORK_ERROR',
        `expected the next page on ${new URL(base).origin}, found a Link to ${new URL(url).origin}`,
      );
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          'User-Agent': 'shipgate',
        },
        redirect: 'error',
      });
    } catch (error) {
      // The cause stays out: a fetch error can carry the request, and with it the Authorization header.
      throw new ShipgateError(
        'NETWORK_ERROR',
        `expected to reach ${base}, found ${redactSecret((error as Error).message, options.token)}`,
        { hint: 'Check the network and GITHUB_API_URL.' },
      );
    }
    const body = await response.text();
    if (!response.ok) throw failure(response.status, body, where, options);
    let items: unknown;
    try {
      items = JSON.parse(body);
    } catch {
      throw new ShipgateError(
        'NETWORK_ERROR',
        `expected a JSON array from ${where}, found ${body.length} characters that are not JSON (${redactSecret(response.headers.get('content-type') ?? 'no content type', options.token)})`,
        {
          hint: 'Check GITHUB_API_URL: it should be the REST API root (https://HOST/api/v3 on GitHub Enterprise Server).',
        },
      );
    }
    if (!Array.isArray(items))
      throw new ShipgateError('NETWORK_ERROR', `expected a JSON array of reviews from ${where}, found ${typeof items}`);
    for (const item of items) {
      const review = toApproval(item, options.token);
      if (review && review.environments.includes(options.environment)) out.push(review);
    }
    url = nextLink(response.headers.get('link'));
  }
  return out;
}

function toApproval(item: unknown, token: string): GithubApproval | undefined {
  const r = item as {
    state?: unknown;
    comment?: unknown;
    user?: { login?: unknown };
    environments?: { name?: unknown }[];
  };
  // `pending` entries are comments without a verdict; they are neither approvals nor rejections.
  if ((r.state !== 'approved' && r.state !== 'rejected') || typeof r.user?.login !== 'string') return undefined;
  const environments = Array.isArray(r.environments)
    ? r.environments.map((e) => e?.name).filter((n): n is string => typeof n === 'string')
    : [];
  return {
    approver: r.user.login,
    state: r.state,
    // A reviewer may paste anything into the comment; it is recorded and printed, the token never.
    comment: typeof r.comment === 'string' ? redactSecret(r.comment, token) : '',
    via: 'github',
    environments,
  };
}
