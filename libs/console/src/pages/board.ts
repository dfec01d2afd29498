import type { DeploymentRecord, Release } from '@shipgate/model';
import { inFlightView, type BoardRow } from '../board-model';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import { deploymentLink, nextCommand, nextSteps, releaseLink, statusTag, took, when } from './layout';

/** What the board page shows. */
export interface BoardView {
  rows: BoardRow[];
  releases: Map<string, Release>;
  commandPrefix: string[];
  /** The environment after each one, for the promote command. */
  nextOf: (environment: string) => string | undefined;
}

/** The environments board: per environment and service, what serves, what is in flight, the last known good. */
export function boardPage(view: BoardView): Html {
  const byEnv = new Map<string, BoardRow[]>();
  for (const r of view.rows) byEnv.set(r.environment, [...(byEnv.get(r.environment) ?? []), r]);
  const commands: Html[] = [];
  for (const r of view.rows) {
    const next = view.nextOf(r.environment);
    // Promoting makes sense only when the next environment does not already serve this release.
    const there = view.rows.find((x) => x.environment === next && x.service === r.service);
    if (r.servingReleaseId && next && there && there.servingReleaseId !== r.servingReleaseId && !r.inFlight.length)
      commands.push(
        nextCommand(
          `Promote ${r.service} from ${r.environment} to ${next} (the gate decides)`,
          cliCommand(view.commandPrefix, ['promote', next, '--service', r.service]),
        ),
      );
    if (r.lastFinished && r.lastFinished.outcome !== 'succeeded')
      commands.push(
        nextCommand(
          `Check ${r.service} in ${r.environment} after its last ${r.lastFinished.kind} ended ${r.lastFinished.outcome}`,
          cliCommand(view.commandPrefix, ['status', r.environment, '--service', r.service]),
        ),
      );
  }
  return html`<h1>Environments</h1>
    <p class="lede">
      What serves each environment, what is in flight and what a rollback would go back to, as the ledger records it.
    </p>
    ${[...byEnv.entries()].map(
      ([env, rows]) =>
        html`<section class="env" aria-labelledby="env-${env}">
          <h2 id="env-${env}">${env}</h2>
          <table class="board" data-environment="${env}">
            <caption>
              Services in ${env}
            </caption>
            <thead>
              <tr>
                <th scope="col">service</th>
                <th scope="col">serving</th>
                <th scope="col">in flight</th>
                <th scope="col">last known good</th>
                <th scope="col">last deployment</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map((r) => boardRow(r, view.releases))}
            </tbody>
          </table>
        </section>`,
    )}
    ${nextSteps(commands)}`;
}

function boardRow(r: BoardRow, releases: Map<string, Release>): Html {
  const serving = r.servingReleaseId ? releases.get(r.servingReleaseId) : undefined;
  return html`<tr data-service="${r.service}">
    <th scope="row">${r.service}</th>
    <td>
      ${r.servingReleaseId ? html`${releaseLink(r.servingReleaseId)}${serving?.gitSha ? html` <span class="muted">git ${serving.gitSha.slice(0, 12)}</span>` : ''}` : html`<span class="muted">nothing recorded</span>`}
    </td>
    <td>${r.inFlight.length ? r.inFlight.map((d) => inFlightCell(d)) : html`<span class="muted">none</span>`}</td>
    <td>
      ${r.lastKnownGood ? html`${releaseLink(r.lastKnownGood.releaseId)} <span class="muted">since ${when(r.lastKnownGood.finishedAt)}</span>` : html`<span class="muted">none</span>`}
    </td>
    <td>
      ${r.lastFinished ? html`${deploymentLink(r.lastFinished.id, r.lastFinished.kind)} ${statusTag(r.lastFinished.outcome)} <span class="muted">${when(r.lastFinished.finishedAt)}, took ${took(r.lastFinished.durationMs)}</span>` : html`<span class="muted">none</span>`}
    </td>
  </tr>`;
}

/** A deployment in flight: its phase and traffic split, labelled with who reported them. */
export function inFlightCell(d: DeploymentRecord): Html {
  const v = inFlightView(d);
  const split = v.split
    ? html`<span class="traffic" data-traffic="${v.split.green}"
        >traffic ${v.split.blue}% original / ${v.split.green}% replacement</span
      >`
    : '';
  const said =
    v.source === 'reported'
      ? html`<span class="muted provenance"
          >reported by the deploy in flight at ${when(v.reportedAt)}; unsigned until it finishes</span
        >`
      : v.source === 'recorded'
        ? html`<span class="muted provenance">as the deploy last recorded it</span>`
        : html`<span class="muted">no progress reported yet</span>`;
  return html`<div class="in-flight" data-deployment="${d.id}">
    ${deploymentLink(d.id, `${d.kind} of ${d.releaseId}`)} ${statusTag(d.outcome)}
    ${v.phase ? html`<span class="phase">phase: ${v.phase}</span>` : ''}${v.step ? html` <span class="step">(${v.step})</span>` : ''}
    ${split} ${said}
  </div>`;
}
