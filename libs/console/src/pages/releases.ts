import type { Release } from '@shipgate/model';
import { html, type Html } from '../html';
import { releaseLink, table, when } from './layout';

/** Releases, newest first, one page at a time. */
export function releasesPage(releases: Release[], page: number, perPage: number, service?: string): Html {
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
    </nav>`;
}
