import type { AuditEntry } from '@shipgate/model';
import type { AuditChainStatus } from '../audit-status';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import { deploymentLink, nextCommand, nextSteps, releaseLink, when } from './layout';

/** The audit page's filters, as the query string gives them. */
export interface AuditFilters {
  release?: string;
  environment?: string;
  service?: string;
  actor?: string;
  action?: string;
  deployment?: string;
  limit: number;
}

const fields = [
  ['release', 'Release'],
  ['environment', 'Environment'],
  ['service', 'Service'],
  ['actor', 'Actor'],
  ['action', 'Action'],
  ['deployment', 'Deployment'],
] as const;

/** The audit log: the chain's verdict first, the filters, then the entries (newest last). */
export function auditPage(
  chain: AuditChainStatus,
  filters: AuditFilters,
  entries: AuditEntry[],
  commandPrefix: string[],
): Html {
  const r = chain.report;
  const broken = r && !r.ok ? r.seq : undefined;
  const cli: string[] = ['audit', 'log'];
  for (const [key] of fields) if (filters[key] && key !== 'deployment') cli.push(`--${key}`, filters[key]!);
  return html`<h1>Audit log</h1>
    ${chainVerdict(chain)}
    <form class="filters" method="get" action="/audit" role="search" aria-label="Filter the audit log">
      ${fields.map(([key, label]) => html`<label for="f-${key}">${label}</label><input id="f-${key}" name="${key}" value="${filters[key] ?? ''}" />`)}
      <label for="f-limit">Last</label
      ><input id="f-limit" name="limit" type="number" min="1" max="5000" value="${filters.limit}" />
      <button type="submit">Filter</button> <a href="/audit">Clear</a>
    </form>
    <table id="audit-entries">
      <caption>
        ${entries.length} entries${entries.length === filters.limit ? ` (the last ${filters.limit} that match)` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">time</th>
          <th scope="col">actor</th>
          <th scope="col">action</th>
          <th scope="col">subject</th>
          <th scope="col">details</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (e) =>
            html`<tr id="entry-${e.seq}" ${e.seq === broken ? html` class="broken"` : ''}>
              <td>${e.seq}${e.seq === broken ? html` <strong>breaks the chain</strong>` : ''}</td>
              <td>${when(e.at)}</td>
              <td>${e.actor}</td>
              <td>${e.action}</td>
              <td>${subject(e)}</td>
              <td><pre class="details">${JSON.stringify(e.details, null, 1)}</pre></td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${nextSteps([nextCommand('Verify the chain from the CLI', cliCommand(commandPrefix, ['audit', 'verify'])), nextCommand('The same entries from the CLI', cliCommand(commandPrefix, [...cli, '--limit', String(filters.limit)]))])}`;
}

function subject(e: AuditEntry): Html {
  const s = e.subject;
  return html`${s.service ?? ''} ${s.environment ?? ''} ${s.releaseId ? releaseLink(s.releaseId) : ''}
  ${s.deploymentId ? deploymentLink(s.deploymentId) : ''}`;
}

/** The chain's verdict, prominent: intact with its length and head, or the entry that breaks it. */
export function chainVerdict(chain: AuditChainStatus): Html {
  const r = chain.report;
  if (!r)
    return html`<section class="verdict verdict-wait" id="chain-verdict" role="status">
      <h2>Hash chain: not verified</h2>
      <p>${chain.error ?? 'checking…'}</p>
    </section>`;
  if (r.ok)
    return html`<section class="verdict verdict-ok" id="chain-verdict" role="status">
      <h2>Hash chain intact</h2>
      <p>
        ${r.entries} entries, each holding the hash of the one before; head <code>${r.headHash}</code>; checked
        ${when(chain.checkedAt)}.
      </p>
    </section>`;
  return html`<section class="verdict verdict-bad" id="chain-verdict" role="alert">
    <h2>Hash chain BROKEN at entry #${r.seq}</h2>
    <p>
      ${r.problem}: expected ${r.expected}, found ${r.found}. Entry
      <a href="/audit?limit=5000#entry-${r.seq}">#${r.seq}</a> (<code>${r.key}</code>) was edited, deleted or moved
      after it was written; the ${r.entriesChecked} entries before it are intact. Checked ${when(chain.checkedAt)}.
    </p>
  </section>`;
}
