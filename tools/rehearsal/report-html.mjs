// The rehearsal's self-contained HTML report (.shipgate/rehearsal/report.html): the production traffic
// chart across the deploy and the rollback, from the probe's samples, drawn by the console's own chart
// script and uPlot, both inlined. A Content-Security-Policy lets only those exact scripts and styles
// run (by their sha256), so the file opens offline, from disk, and loads nothing.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const sha256 = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Share of successful production requests each release answered, per `bucketMs`, and the share that
 * failed: the console's traffic chart spec (seconds since the probe started).
 */
export function probeTrafficSpec(samples, { names = {}, bucketMs = 1000, markers = [] } = {}) {
  const buckets = [];
  const releases = new Set();
  for (const s of samples) {
    const i = Math.floor(s.at / bucketMs);
    buckets[i] ??= { ok: {}, failed: 0, total: 0 };
    const b = buckets[i];
    b.total++;
    if (s.status === 200) {
      const name = names[s.release] ?? s.release ?? 'unknown';
      releases.add(name);
      b.ok[name] = (b.ok[name] ?? 0) + 1;
    } else b.failed++;
  }
  const seconds = [];
  const series = [...releases].sort().map((label) => ({ label: `${label} %`, values: [] }));
  const failed = { label: 'failed %', values: [] };
  buckets.forEach((b, i) => {
    if (!b) return;
    seconds.push((i * bucketMs) / 1000);
    series.forEach((s, k) => s.values.push(Math.round((1000 * (b.ok[[...releases].sort()[k]] ?? 0)) / b.total) / 10));
    failed.values.push(Math.round((1000 * b.failed) / b.total) / 10);
  });
  return { kind: 'traffic', seconds, series: [...series, failed], markers };
}

/** Markers for the production deployments and rollbacks of `history --json`, relative to the probe's start. */
export function deploymentMarkers(history, probeStartedAt, names = {}) {
  const markers = [];
  for (const d of [...(history?.deployments ?? [])].reverse()) {
    const start = (Date.parse(d.startedAt) - probeStartedAt) / 1000;
    if (start < 0) continue;
    const what = `${d.kind} ${names[d.releaseId] ?? d.releaseId}`;
    markers.push({ label: `${what} starts`, at: Math.round(start * 10) / 10 });
    // Its own end: a rollback later sets a rolled-back deploy's finishedAt to its own time, but not durationMs.
    const end = d.durationMs !== undefined ? Date.parse(d.startedAt) + d.durationMs : Date.parse(d.finishedAt ?? '');
    if (Number.isFinite(end))
      markers.push({ label: `${what} ends (${d.outcome})`, at: Math.round(((end - probeStartedAt) / 1000) * 10) / 10 });
  }
  return markers;
}

/** Writes the report: the chart, the numbers behind it, and how to open the console. */
export async function writeReportHtml({ file, spec, summary, consoleCommand }) {
  const asset = (m) => readFile(require.resolve(m), 'utf8');
  const [uplotJs, uplotCss, consoleJs, consoleCss] = await Promise.all([
    asset('uplot/dist/uPlot.iife.min.js'),
    asset('uplot/dist/uPlot.min.css'),
    asset('@shipgate/console/assets/console.js'),
    asset('@shipgate/console/assets/console.css'),
  ]);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(uplotJs)} ${sha256(consoleJs)}`,
    `style-src ${sha256(uplotCss)} ${sha256(consoleCss)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const rows = spec.seconds
    .map((s, i) => `<tr><td>${s}</td>${spec.series.map((x) => `<td>${x.values[i]}</td>`).join('')}</tr>`)
    .join('\n');
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>shipgate rehearsal report</title>
<style>${uplotCss}</style>
<style>${consoleCss}</style>
<script>${uplotJs}</script>
<script>${consoleJs}</script>
</head>
<body>
<main id="main">
<h1>shipgate rehearsal: production traffic</h1>
<p class="lede">Which release answered production, second by second, while v2 was deployed blue/green and then rolled back to v1 (the continuous probe's requests; dashed lines mark the ledger's deployment records).</p>
<ul>${summary.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>
<figure class="chart-figure">
<div class="chart" id="traffic" role="img" aria-label="Production traffic per release over time" data-chart="${escapeHtml(JSON.stringify(spec))}"></div>
<figcaption>Percent of production requests per release and failed, per second, from 15 s before the first production deployment</figcaption>
<details><summary>The numbers behind the chart</summary>
<table><thead><tr><th scope="col">second</th>${spec.series.map((s) => `<th scope="col">${escapeHtml(s.label)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table></details>
</figure>
<h2>Open the console on this ledger</h2>
<pre><code>${escapeHtml(consoleCommand)}</code></pre>
</main>
</body>
</html>
`;
  await writeFile(file, page);
  return file;
}

/**
 * The rehearsal's last step: writes report.html and tells how to open the console on the rehearsal's
 * ledger (the same --config, --state and policy profile the rehearsal ran with).
 */
export async function writeRehearsalReport({ work, config, state, samples, probeStartedAt, names, history, say }) {
  const markers = deploymentMarkers(history, probeStartedAt, names);
  // From shortly before the first production deployment the probe saw: minutes of v1 before it say nothing.
  const from = Math.max(0, Math.min(...markers.map((m) => m.at), Infinity) - 15);
  const shown = Number.isFinite(from)
    ? samples.filter((s) => s.at >= from * 1000).map((s) => ({ ...s, at: s.at - from * 1000 }))
    : samples;
  const spec = probeTrafficSpec(shown, {
    names,
    markers: markers.map((m) => ({ ...m, at: Math.round((m.at - from) * 10) / 10 })),
  });
  const failed = samples.filter((s) => s.status !== 200).length;
  const consoleCommand = `npx shipgate console --config ${config} --state ${state} --policy-profile local-rehearsal`;
  const file = await writeReportHtml({
    file: `${work}/report.html`,
    spec,
    summary: [
      `${samples.length} production requests probed, ${failed} failed`,
      ...(history?.deployments ?? [])
        .slice(0, 4)
        .map(
          (d) =>
            `${d.kind} of ${names[d.releaseId] ?? d.releaseId}: ${d.outcome}${d.timeToRestoreMs ? `, time to restore ${(d.timeToRestoreMs / 1000).toFixed(1)} s` : ''}`,
        ),
    ],
    consoleCommand,
  });
  say(`HTML report with the production traffic chart: ${file}`);
  say(`open the console on this ledger: ${consoleCommand}  (then http://127.0.0.1:8790/)`);
  return file;
}
