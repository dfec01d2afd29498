// The rehearsal's parity stage: before production is promoted, `shipgate diff staging production` compares
// the two environments as declared and as they run on local-cloud, and the report is printed here: every
// difference with both values, expected ones with the reason shipgate.yaml's parity.expect gives.

/** Prints the parity report of one service and checks that nothing differs unexpectedly. */
export async function rehearseParity({ shipgate, say, check, service }) {
  const { code, json } = await shipgate(['diff', 'staging', 'production', '--service', service], { expect: [0, 1] });
  const report = json?.services?.[0];
  for (const d of report?.differences ?? []) {
    const verdict = d.expected ? `expected: ${d.expected}` : 'UNEXPECTED';
    say(`  ${d.setting} (${d.source}): staging ${d.a} · production ${d.b} — ${verdict}`);
  }
  if (report && !report.liveCompared) say(`  live not compared: ${report.liveNote}`);
  check(
    code === 0,
    `staging and production alike, declared and live, but for ${report?.expected ?? '?'} expected difference(s) (${report?.unexpected ?? '?'} unexpected)`,
  );
  return report;
}
