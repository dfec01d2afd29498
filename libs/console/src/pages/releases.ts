import type { Release } from '@shipgate/model';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import { nextCommand, nextSteps, releaseLink, table, when } from './layout';

/** Releases, newest first, one page at a time. */
export function releasesPage(
  releases: Release[],
  page: number,
  perPage: number,
  commandPrefix: string[],
  service?: string,
): Html {
  const shown = releases.slice(page * perPage, (page + 1) * perPage);
  const q = (p: number) => `/releases?page=${p}${service ? `&service=${encodeURIComponent(service)}` : ''}`;
  return html`<h1>Releases${service ? html` of ${service}` : ''}</h1>
    ${table(
      `${releases.length} releases, newest first`,
      ['release', 'service', 'git SHA', 'author', 'created'],
      shown.map((r) => [releaseLink(r.id), r.service, r.gitSha ?? '–', r.author ?? '–', when(r.createdAt)]),
      { id: 'releases' },
    )}
    <nav aria-label="Pages" class="pages">
      ${page > 0 ? html`<a href="${q(page - 1)}">Newer</a>` : ''}
      ${(page + 1) * perPage < releases.length ? html`<a href="${q(page + 1)}">Older</a>` : ''}
    </nav>
    ${nextSteps([
      nextCommand(
        'The same list from the CLI',
        cliCommand(commandPrefix, ['release', 'list', ...(service ? ['--service', service] : [])]),
      ),
    ])}`;
}
