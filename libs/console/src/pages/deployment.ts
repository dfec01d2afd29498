import type { DeploymentRecord } from '@shipgate/model';
import { trafficChart } from '../chart-specs';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import { inFlightCell } from './board';
import { chart, deploymentLink, nextCommand, nextSteps, releaseLink, statusTag, table, took, when } from './layout';

/** What the deployment page shows. */
export interface DeploymentView {
  deployment: DeploymentRecord;
  /** Rollbacks that undid this deployment. */
  rollbacks: DeploymentRecord[];
  /** The deployment this one rolled back (for a rollback). */
  rolledBack?: DeploymentRecord;
  commandPrefix: string[];
}

/** One deployment: lifecycle, production traffic over time, verification, failure, rollback. */
export function deploymentPage(view: DeploymentView): Html {
  const d = view.deployment;
  const spec = trafficChart(d, view.rollbacks);
  const commands: Html[] = [];
  if (d.outcome === 'in-progress' || (d.kind === 'deploy' && d.outcome === 'succeeded'))
    commands.push(
      nextCommand(
        `Roll ${d.service} in ${d.environment} back`,
        cliCommand(view.commandPrefix, [
          'rollback',
          d.environment,
          '--service',
          d.service,
          '--reason',
          'why, in words',
        ]),
      ),
    );
  if (d.outcome === 'failed' || d.outcome === 'rolled-back')
    commands.push(
      nextCommand(
        `See what serves ${d.environment} now`,
        cliCommand(view.commandPrefix, ['status', d.environment, '--service', d.service]),
      ),
    );
  commands.push(
    nextCommand(
      'Every deployment of this service here',
      cliCommand(view.commandPrefix, ['history', d.environment, '--service', d.service]),
    ),
  );
  return html`<h1>
      ${d.kind === 'rollback' ? 'Rollback' : 'Deployment'} <span class="id" id="deployment-id">${d.id}</span>
    </h1>
    <p class="outcome" id="deployment-outcome">
      ${statusTag(d.outcome)} ${d.kind} of ${releaseLink(d.releaseId)} to ${d.environment} (${d.service})
    </p>
    ${d.outcome === 'in-progress' ? html`<div id="in-flight">${inFlightCell(d)}</div>` : ''}
    <dl class="facts">
      <dt>started</dt>
      <dd>${when(d.startedAt)} by ${d.startedBy}</dd>
      <dt>finished</dt>
      <dd>${when(d.finishedAt)}</dd>
      <dt>took</dt>
      <dd>${took(d.durationMs)}</dd>
      <dt>controller</dt>
      <dd>${d.controller}${d.controllerDeploymentId ? html` <code>${d.controllerDeploymentId}</code>` : ''}</dd>
      ${
        d.taskDefinitionArn
          ? html`<dt>task definition</dt>
              <dd><code>${d.taskDefinitionArn}</code></dd>`
          : ''
      }
      ${
        d.reason
          ? html`<dt>reason</dt>
              <dd id="deployment-reason">${d.reason}</dd>`
          : ''
      }
      ${
        d.timeToRestoreMs !== undefined
          ? html`<dt>time to restore</dt>
              <dd id="time-to-restore">${took(d.timeToRestoreMs)}</dd>`
          : ''
      }
      ${
        view.rolledBack
          ? html`<dt>rolled back</dt>
              <dd>${deploymentLink(view.rolledBack.id)} (${view.rolledBack.releaseId})</dd>`
          : ''
      }
    </dl>
    <section aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Lifecycle</h2>
      ${
        d.lifecycle?.length
          ? html`<ol class="timeline" id="lifecycle">
              ${d.lifecycle.map((e) => html`<li data-status="${e.status}"><strong>${e.name}</strong> ${statusTag(e.status.toLowerCase())} <span class="muted">${e.startedAt ? when(e.startedAt) : ''}${e.endedAt ? ` → ${when(e.endedAt)}` : ''}</span>${e.message ? html` <span>${e.message}</span>` : ''}</li>`)}
            </ol>`
          : html`<p class="muted">The controller's lifecycle phases were not recorded for this ${d.kind}.</p>`
      }
    </section>
    <section aria-labelledby="traffic-heading">
      <h2 id="traffic-heading">Production traffic</h2>
      ${
        spec
          ? chart(
              `traffic-${d.id}`,
              'Production traffic (percent) on the original and replacement task sets, seconds since the start',
              spec,
              table(
                'Traffic split',
                ['seconds', 'original %', 'replacement %'],
                spec.seconds.map((s, i) => [s, ...spec.series.map((x) => x.values[i]!)]),
              ),
            )
          : html`<p class="muted">No traffic split was recorded for this ${d.kind}.</p>`
      }
    </section>
    <section aria-labelledby="verification-heading">
      <h2 id="verification-heading">Verification through the test listener</h2>
      ${
        d.verification
          ? html`<p id="verification">
                ${statusTag(d.verification.passed ? 'pass' : 'fail')} ${d.verification.succeeded} of
                ${d.verification.requests} requests named the release
              </p>
              ${
                d.verification.failures.length
                  ? html`<ul>
                      ${d.verification.failures.map((f) => html`<li>${f}</li>`)}
                    </ul>`
                  : ''
              }`
          : html`<p class="muted">No verification recorded.</p>`
      }
    </section>
    ${
      d.failure || d.failureLines?.length
        ? html`<section aria-labelledby="failure-heading" class="failure">
            <h2 id="failure-heading">Why it failed</h2>
            <p id="failure">${d.failure ?? ''}</p>
            ${
              d.failureLines?.length
                ? html`<ul>
                    ${d.failureLines.map((l) => html`<li>${l}</li>`)}
                  </ul>`
                : ''
            }
          </section>`
        : ''
    }
    ${
      view.rollbacks.length
        ? html`<section aria-labelledby="rollback-heading">
            <h2 id="rollback-heading">Rolled back</h2>
            ${table(
              'Rollbacks of this deployment',
              ['rollback', 'outcome', 'reason', 'started', 'time to restore'],
              view.rollbacks.map((r) => [
                deploymentLink(r.id),
                statusTag(r.outcome),
                r.reason ?? '–',
                when(r.startedAt),
                took(r.timeToRestoreMs),
              ]),
              { id: 'rollbacks' },
            )}
          </section>`
        : ''
    }
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit entries</h2>
      <p>
        <a href="/audit?deployment=${encodeURIComponent(d.id)}">In the audit log</a>: every start, update and finish
        recorded about this ${d.kind}, with who and when.
      </p>
    </section>
    ${nextSteps(commands)}`;
}
