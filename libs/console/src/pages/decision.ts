import type { Decision, Release } from '@shipgate/model';
import { cliCommand } from '../cli-command';
import { html, type Html } from '../html';
import { nextCommand, nextSteps, releaseLink, statusTag, when } from './layout';

/** The gate's decision for a release entering an environment, requirement by requirement. */
export function decisionPage(release: Release, decision: Decision, commandPrefix: string[]): Html {
  const env = decision.environment;
  const base = ['--service', release.service, '--release', release.id];
  const commands: Html[] = [
    nextCommand(
      'Evaluate and record the same decision from the CLI',
      cliCommand(commandPrefix, ['gate', env, ...base]),
    ),
  ];
  if (decision.outcome === 'pass')
    commands.push(nextCommand(`Deploy ${release.id} to ${env}`, cliCommand(commandPrefix, ['deploy', env, ...base])));
  else if (decision.requirements.some((r) => r.id === 'approvals' && r.status !== 'pass'))
    commands.push(
      nextCommand(
        `Approve ${release.id} for ${env} (not its author)`,
        cliCommand(commandPrefix, ['approve', env, ...base]),
      ),
    );
  return html`<h1>Gate: ${releaseLink(release.id)} into ${env}</h1>
    <p class="outcome" id="decision-outcome">
      Decision: ${statusTag(decision.outcome)}
      <span class="muted"
        >evaluated ${when(decision.evaluatedAt)} by the same function as <code>shipgate gate</code>; not recorded</span
      >
    </p>
    <table id="requirements">
      <caption>
        Every requirement, passed or not
      </caption>
      <thead>
        <tr>
          <th scope="col">requirement</th>
          <th scope="col">status</th>
          <th scope="col">required</th>
          <th scope="col">observed</th>
          <th scope="col">why</th>
        </tr>
      </thead>
      <tbody>
        ${decision.requirements.map(
          (r) =>
            html`<tr data-requirement="${r.id}">
              <th scope="row">${r.title}</th>
              <td>${statusTag(r.status)}</td>
              <td>${r.required}</td>
              <td>${r.observed}</td>
              <td>${r.reason}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${nextSteps(commands)}`;
}
