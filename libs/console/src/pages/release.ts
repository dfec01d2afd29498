import type { Decision, DeploymentRecord, Evidence, Release } from '@shipgate/model';
import type { ApprovalSummary, QaSummary, StressSummary } from '@shipgate/promotion-gate';
import { latencyChart, requestRateChart } from '../chart-specs';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import type { VerificationStatus } from '../verification';
import {
  chart,
  deploymentLink,
  nextCommand,
  nextSteps,
  statusTag,
  table,
  took,
  verificationCell,
  when,
} from './layout';

/** What the release page shows. */
export interface ReleaseView {
  release: Release;
  /** The release record's signature status; authors are shown as verified only from it. */
  releaseVerification: VerificationStatus & { authors?: string[] };
  evidence: Evidence[];
  /** Each evidence record's verification status, by id. */
  verification: Map<string, VerificationStatus>;
  decisions: Decision[];
  deployments: DeploymentRecord[];
  environments: string[];
  commandPrefix: string[];
}

/** The authors, as the signed release states them, or as the stored file claims (labelled). */
function authorsText(view: ReleaseView): string {
  const verified = view.releaseVerification.authors;
  if (verified) return verified.length ? verified.join(', ') : 'none recorded (signed)';
  const claimed = view.release.authors?.length
    ? view.release.authors
    : view.release.author
      ? [view.release.author]
      : [];
  return `${claimed.length ? claimed.join(', ') : 'not recorded'} (as stored; not verified)`;
}

/** One release: what it is, its evidence with verification status, QA, k6, approvals, decisions, deployments. */
export function releasePage(view: ReleaseView): Html {
  const { release: r, evidence } = view;
  // Evidence for another digest never counts: listed with its status, left out of the results below.
  const of = <T>(kind: Evidence['kind']) =>
    evidence.filter((e) => e.kind === kind && e.digest === r.digest) as Evidence<T>[];
  const qa = of<QaSummary>('qa');
  const stress = of<StressSummary>('stress');
  const approvals = of<ApprovalSummary>('approval');
  const deployedTo = new Set(view.deployments.filter((d) => d.outcome === 'succeeded').map((d) => d.environment));
  const target = view.environments.find((e) => !deployedTo.has(e));
  const commands: Html[] = [];
  if (target) {
    commands.push(
      nextCommand(
        `See whether the gate lets ${r.id} into ${target}`,
        cliCommand(view.commandPrefix, ['gate', target, '--service', r.service, '--release', r.id]),
      ),
      nextCommand(
        `Approve ${r.id} for ${target} (a release manager who is not its author)`,
        cliCommand(view.commandPrefix, ['approve', target, '--service', r.service, '--release', r.id]),
      ),
    );
  }
  return html`<h1>Release <span class="id" id="release-id">${r.id}</span></h1>
    <dl class="facts">
      <dt>service</dt>
      <dd>${r.service}</dd>
      <dt>image</dt>
      <dd><code>${r.image}</code></dd>
      <dt>digest</dt>
      <dd><code>${r.digest}</code></dd>
      <dt>git SHA</dt>
      <dd>${r.gitSha ? html`<code>${r.gitSha}</code>` : 'not recorded'}</dd>
      <dt>authors</dt>
      <dd id="release-authors">${authorsText(view)}</dd>
      <dt>release record</dt>
      <dd id="release-verification">${verificationCell(view.releaseVerification)}</dd>
      <dt>created by</dt>
      <dd>${r.createdBy}, ${when(r.createdAt)}</dd>
    </dl>
    <section aria-labelledby="gate-heading">
      <h2 id="gate-heading">Gate decisions</h2>
      <ul class="links">
        ${view.environments.map((env) => html`<li><a href="/releases/${encodeURIComponent(r.id)}/decision/${encodeURIComponent(env)}">The gate for ${env}, evaluated now</a></li>`)}
      </ul>
      ${
        view.decisions.length
          ? table(
              'Decisions recorded',
              ['environment', 'outcome', 'evaluated', 'not passed'],
              view.decisions.map((d) => [
                d.environment,
                statusTag(d.outcome),
                when(d.evaluatedAt),
                d.requirements
                  .filter((q) => q.status !== 'pass')
                  .map((q) => q.id)
                  .join(', ') || '–',
              ]),
            )
          : html`<p class="muted">No decision recorded yet.</p>`
      }
    </section>
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Evidence</h2>
      ${
        evidence.length
          ? table(
              'Every evidence record of this release',
              ['kind', 'environment', 'recorded', 'origin', 'verification'],
              evidence.map((e) => [
                e.kind,
                e.environment,
                when(e.recordedAt),
                `${e.origin.actor} (${e.origin.where})`,
                verificationCell(view.verification.get(e.id)!),
              ]),
              { id: 'evidence' },
            )
          : html`<p class="muted">No evidence recorded.</p>`
      }
    </section>
    <section aria-labelledby="qa-heading">
      <h2 id="qa-heading">QA results</h2>
      ${qa.length ? qa.map(qaBlock) : html`<p class="muted">No QA results.</p>`}
    </section>
    <section aria-labelledby="stress-heading">
      <h2 id="stress-heading">Stress results (k6)</h2>
      ${stress.length ? stress.map(stressBlock) : html`<p class="muted">No stress results.</p>`}
    </section>
    <section aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">Approvals</h2>
      ${
        approvals.length
          ? table(
              'Approvals and rejections',
              ['environment', 'who', 'state', 'comment', 'via', 'when'],
              approvals.map((a) => [
                a.environment,
                a.summary.approver,
                statusTag(a.summary.state),
                a.summary.comment || '–',
                a.summary.via,
                when(a.recordedAt),
              ]),
              { id: 'approvals' },
            )
          : html`<p class="muted">No approvals.</p>`
      }
    </section>
    <section aria-labelledby="deployments-heading">
      <h2 id="deployments-heading">Deployments</h2>
      ${
        view.deployments.length
          ? table(
              'Deployments of this release',
              ['deployment', 'environment', 'kind', 'outcome', 'started', 'took'],
              view.deployments.map((d) => [
                deploymentLink(d.id),
                d.environment,
                d.kind,
                statusTag(d.outcome),
                when(d.startedAt),
                took(d.durationMs),
              ]),
            )
          : html`<p class="muted">Never deployed.</p>`
      }
    </section>
    ${nextSteps(commands)}`;
}

function qaBlock(e: Evidence<QaSummary>): Html {
  const s = e.summary;
  return html`<div class="evidence-block qa" data-evidence="${e.id}">
    <h3>
      ${e.environment}: ${s.passed} passed, ${s.failures} failed, ${s.errors} errors, ${s.skipped} skipped of ${s.tests}
    </h3>
    <p class="muted">
      ${s.runner ?? 'JUnit'} report, ${s.suites} suites, ${s.durationSeconds.toFixed(1)}
      s${s.commandExitCode !== undefined ? `, QA command exited ${s.commandExitCode}` : ''}
    </p>
    ${
      s.failedCases.length
        ? table(
            'Failing tests',
            ['suite', 'test', 'kind', 'message'],
            s.failedCases.map((c) => [c.suite, html`<span class="test-name">${c.name}</span>`, c.kind, c.message]),
            { id: `failed-${e.id}` },
          )
        : ''
    }
  </div>`;
}

function stressBlock(e: Evidence<StressSummary>): Html {
  const s = e.summary;
  const latency = latencyChart(s);
  const rate = requestRateChart(s);
  const passed = s.thresholds.filter((t) => t.passed).length;
  return html`<div class="evidence-block stress" data-evidence="${e.id}">
    <h3>
      ${e.environment}: ${passed} of ${s.thresholds.length} thresholds held, ${s.httpRequests ?? '?'}
      requests${s.durationMs ? ` in ${(s.durationMs / 1000).toFixed(0)} s` : ''}, peak ${s.peakVus ?? '?'} VUs
    </h3>
    <div class="charts">
      ${
        latency
          ? chart(
              `latency-${e.id}`,
              'Latency percentiles (ms) with their thresholds',
              latency,
              table(
                'Latency',
                ['statistic', 'ms'],
                latency.labels.map((l, i) => [l, latency.values[i]!]),
              ),
            )
          : ''
      }
      ${
        rate
          ? chart(
              `rate-${e.id}`,
              'Request rate (requests/s) with its thresholds',
              rate,
              table(
                'Request rate',
                ['statistic', 'requests/s'],
                rate.labels.map((l, i) => [l, rate.values[i]!]),
              ),
            )
          : ''
      }
    </div>
    ${table(
      'Thresholds',
      ['metric', 'threshold', 'observed', 'held'],
      s.thresholds.map((t) => [
        t.metric,
        t.expression,
        t.observed === undefined ? '–' : round(t.observed),
        statusTag(t.passed ? 'pass' : 'fail'),
      ]),
    )}
    ${
      s.checks.length
        ? table(
            'Checks',
            ['check', 'passes', 'fails'],
            s.checks.map((c) => [c.path, c.passes, c.fails]),
          )
        : ''
    }
    ${
      s.notes.length
        ? html`<ul class="notes">
            ${s.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }
  </div>`;
}

/** A statistic as people read it: at most two decimals. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
