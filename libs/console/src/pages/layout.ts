import { formatDuration } from '@shipgate/model';
import type { AuditChainStatus } from '../audit-status';
import { html, jsonAttribute, type Html, type HtmlValue } from '../html';
import type { VerificationStatus } from '../verification';

/** What every page shares: its title, the chain's latest verdict, the ledger's location. */
export interface PageFrame {
  title: string;
  chain: AuditChainStatus;
  stateLocation: string;
  /** Where this page is, for the navigation's aria-current. */
  section: 'board' | 'releases' | 'audit' | 'other';
  /** When the deployment records shown were read (they are read in the background). */
  readAt?: string;
}

/** A whole page. Scripts and styles come only from this server's /assets (the CSP allows nothing else). */
export function layout(frame: PageFrame, body: Html): Html {
  const current = (s: PageFrame['section']) => (frame.section === s ? 'page' : 'false');
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · shipgate console</title>
        <link rel="stylesheet" href="/assets/uPlot.min.css" />
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/uPlot.iife.min.js" defer></script>
        <script src="/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <nav aria-label="Main">
            <a class="brand" href="/">shipgate console</a>
            <a href="/" aria-current="${current('board')}">Environments</a>
            <a href="/releases" aria-current="${current('releases')}">Releases</a>
            <a href="/audit" aria-current="${current('audit')}">Audit log</a>
          </nav>
          ${chainBadge(frame.chain)}
        </header>
        <main id="main" tabindex="-1">${body}</main>
        <footer>
          <p>
            Read-only view of the ledger at <code>${frame.stateLocation}</code>${
              frame.readAt
                ? html`; deployments as read at <span id="read-at">${when(frame.readAt)}</span> (read again every few
                    seconds)`
                : ''
            }.
            The console changes nothing: every action is a CLI command.
          </p>
        </footer>
      </body>
    </html>`;
}

/** The chain's verdict in a few words: the badge on every page and what its polling reads (#16). */
export interface ChainBadgeView {
  state: 'checking' | 'unreadable' | 'intact' | 'broken';
  text: string;
  href: string;
  /** Its CSS classes (colour; the words carry the meaning). */
  className: string;
  /** When the verdict was reached. */
  checkedAt?: string;
}

const badgeClass: Record<ChainBadgeView['state'], string> = {
  checking: 'badge badge-wait',
  unreadable: 'badge badge-wait',
  intact: 'badge badge-ok',
  broken: 'badge badge-bad',
};

/** The one rule for the badge's words, server-rendered and polled alike. */
export function chainBadgeView(chain: AuditChainStatus): ChainBadgeView {
  const r = chain.report;
  const view = (state: ChainBadgeView['state'], text: string, href = '/audit'): ChainBadgeView => ({
    state,
    text,
    href,
    className: badgeClass[state],
    ...(chain.checkedAt ? { checkedAt: chain.checkedAt } : {}),
  });
  if (!r)
    return chain.error
      ? view('unreadable', `audit chain unreadable: ${chain.error}`)
      : view('checking', 'audit chain: checking…');
  if (r.ok) return view('intact', `audit chain intact: ${r.entries} entries`);
  return view('broken', `audit chain BROKEN at entry #${r.seq}`, `/audit#entry-${r.seq}`);
}

/**
 * The chain's verdict, linked to the audit page. console.js keeps it current by polling
 * /audit/status.json; without JavaScript it is the verdict as of the page's load.
 */
export function chainBadge(chain: AuditChainStatus): Html {
  const v = chainBadgeView(chain);
  return html`<a class="${v.className}" href="${v.href}" id="chain-badge" data-state="${v.state}" aria-live="polite"
    >${v.text}</a
  >`;
}

/** A status word with its colour class (text stays readable without colour). */
export function statusTag(status: string): Html {
  const kind = /^(pass|succeeded|verified|approved|intact|ok)$/.test(status)
    ? 'ok'
    : /^(fail|failed|block|rolled-back|altered|invalid|rejected|broken|missing|stale|stopped)$/.test(status)
      ? 'bad'
      : 'neutral';
  return html`<span class="tag tag-${kind}">${status}</span>`;
}

/** The verification field of a record. */
export function verificationCell(v: VerificationStatus): Html {
  return html`<span class="verification" data-state="${v.state}"
    >${statusTag(v.state)} <span class="muted">${v.summary}</span></span
  >`;
}

let commandCounter = 0;

/** The next action as a CLI command, with a copy button (the console never acts itself). */
export function nextCommand(label: string, command: string): Html {
  const id = `cmd-${++commandCounter}`;
  return html`<div class="next-command">
    <p>${label}</p>
    <div class="command-line">
      <code id="${id}">${command}</code
      ><button type="button" class="copy" data-copy="${id}" aria-label="Copy command: ${label}">Copy</button>
    </div>
  </div>`;
}

/** A section listing the next actions. */
export function nextSteps(commands: Html[]): Html {
  if (!commands.length) return html``;
  return html`<section class="next" aria-labelledby="next-heading">
    <h2 id="next-heading">Next step</h2>
    ${commands}
  </section>`;
}

/** A chart drawn in the browser by uPlot from the data attribute; `table` gives the same numbers as text. */
export function chart(id: string, label: string, spec: unknown, table: Html): Html {
  return html`<figure class="chart-figure">
    <div class="chart" id="${id}" role="img" aria-label="${label}" data-chart="${jsonAttribute(spec)}"></div>
    <figcaption>${label}</figcaption>
    <details>
      <summary>The numbers behind the chart</summary>
      ${table}
    </details>
  </figure>`;
}

/** A simple table: header cells and rows of cells. */
export function table(caption: string, head: string[], rows: HtmlValue[][], attrs: { id?: string } = {}): Html {
  return html`<table${attrs.id ? html` id="${attrs.id}"` : ''}><caption>${caption}</caption><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr>
        ${r.map((c) => html`<td>${c}</td>`)}
      </tr>`,
  )}</tbody></table>`;
}

/** `2026-12-01 22:45:01 UTC`, or a dash. */
export function when(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration in words, or a dash. */
export function took(ms: number | undefined): string {
  return ms === undefined ? '–' : formatDuration(ms);
}

/** A link to a release page. */
export function releaseLink(id: string | undefined): Html {
  return id ? html`<a href="/releases/${encodeURIComponent(id)}">${id}</a>` : html`–`;
}

/** A link to a deployment page. */
export function deploymentLink(id: string | undefined, text?: string): Html {
  return id ? html`<a href="/deployments/${encodeURIComponent(id)}">${text ?? id}</a>` : html`–`;
}
