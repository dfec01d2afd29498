// The rehearsal's printed report: the gate's requirements, and the final summary of probes and deployments.
import { chalk } from 'zx';

/** `id: status` of every requirement that did not pass. */
export function failing(json) {
  return (json?.decision?.requirements ?? [])
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.id}: ${r.status}`)
    .join(', ');
}

/** Prints each requirement of a decision with what was required and observed. */
export function printDecision(decision, say) {
  if (!decision) return;
  for (const r of decision.requirements)
    say(
      `  ${r.status === 'pass' ? chalk.green('pass') : chalk.red(r.status.padEnd(4))}  ${r.title}: ${r.observed} (required ${r.required})`,
    );
}

/** The final report: probes, who served production over time, deployments, time to restore. */
export function report({ production, staging, test, ttr, deployments, stage }) {
  stage('Report');
  console.log(
    `  production probe: ${production.sent} requests, ${production.failed} failed; served by ${JSON.stringify(production.byRelease)}`,
  );
  if (staging)
    console.log(
      `  staging probe:    ${staging.sent} requests, ${staging.failed} failed; served by ${JSON.stringify(staging.byRelease)}`,
    );
  console.log(
    `  test probe:       ${test.sent} requests, ${test.failed} failed; served by ${JSON.stringify(test.byRelease)}`,
  );
  if (production.failed) console.log(`  production errors: ${JSON.stringify(production.errors)}`);
  console.log('  production, who served over time (5 s buckets):');
  for (const b of production.timeline)
    console.log(
      `    ${String(b.fromMs / 1000).padStart(5)} s  ${Object.entries(b.served)
        .map(([r, n]) => `${r}×${n}`)
        .join('  ')}${b.failed ? chalk.red(`  failed×${b.failed}`) : ''}`,
    );
  console.log('  deployments:');
  for (const d of deployments)
    console.log(
      `    ${d.environment.padEnd(10)} ${d.command.padEnd(16)} ${d.release.padEnd(9)} ${String(d.outcome).padEnd(12)} ${d.seconds.toFixed(1).padStart(6)} s`,
    );
  console.log(`  time to restore (rollback): ${ttr !== undefined ? (ttr / 1000).toFixed(2) + ' s' : 'not reported'}`);
}
