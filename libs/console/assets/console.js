// The console's only script: copy buttons, charts and the audit badge. Served from /assets (the CSP
// allows no inline script); chart data comes from each chart's data-chart attribute, which the server
// escaped. Without JavaScript every page still reads whole: the badge then shows the verdict as of load.
'use strict';

function copyButtons() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const code = document.getElementById(button.dataset.copy);
      if (!code) return;
      const text = code.textContent || '';
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        // No clipboard permission: select the command so that Ctrl-C copies it.
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected: press Ctrl-C';
      }
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  }
}

const colours = { bar: '#1d4ed8', limit: '#b91c1c', marker: '#b45309' };

function barChart(el, spec, width) {
  const x = spec.labels.map((_, i) => i);
  const series = [
    {},
    {
      label: spec.unit,
      fill: colours.bar,
      stroke: colours.bar,
      paths: uPlot.paths.bars({ size: [0.5, 80] }),
      points: { show: false },
    },
  ];
  const data = [x, spec.values];
  for (const limit of spec.limits) {
    series.push({
      label: `limit: ${limit.label}`,
      stroke: colours.limit,
      dash: [6, 4],
      width: 2,
      points: { show: false },
    });
    data.push(x.map(() => limit.value));
  }
  const top = Math.max(...spec.values, ...spec.limits.map((l) => l.value)) * 1.15 || 1;
  return new uPlot(
    {
      width,
      height: 260,
      scales: { x: { time: false, range: [-0.5, x.length - 0.5] }, y: { range: [0, top] } },
      axes: [
        { values: (_, ticks) => ticks.map((t) => (Number.isInteger(t) ? spec.labels[t] || '' : '')), splits: () => x },
        { label: spec.unit },
      ],
      series,
    },
    data,
    el,
  );
}

const lineColours = ['#1d4ed8', '#15803d', '#7e22ce', '#b91c1c'];

function trafficChart(el, spec, width) {
  const stepped = uPlot.paths.stepped({ align: 1 });
  return new uPlot(
    {
      width,
      height: 260,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: [{ label: 'seconds since the start' }, { label: '% of production traffic' }],
      series: [
        {},
        ...spec.series.map((s, i) => ({
          label: s.label,
          stroke: lineColours[i % lineColours.length],
          width: 2,
          paths: stepped,
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = colours.marker;
            ctx.fillStyle = colours.marker;
            ctx.setLineDash([4, 4]);
            spec.markers.forEach((m, i) => {
              const px = u.valToPos(m.at, 'x', true);
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
              // Labels near the right edge go to the left of their line.
              const w = ctx.measureText(m.label).width;
              const x = px + 4 + w > u.bbox.left + u.bbox.width ? px - 4 - w : px + 4;
              ctx.fillText(m.label, x, u.bbox.top + 12 + 14 * (i % 4));
            });
            ctx.restore();
          },
        ],
      },
    },
    [spec.seconds, ...spec.series.map((s) => s.values)],
    el,
  );
}

function charts() {
  if (typeof uPlot === 'undefined') return;
  for (const el of document.querySelectorAll('[data-chart]')) {
    const spec = JSON.parse(el.dataset.chart);
    const width = Math.max(320, Math.min(760, el.clientWidth || 640));
    if (spec.kind === 'bars') barChart(el, spec, width);
    else if (spec.kind === 'traffic') trafficChart(el, spec, width);
    el.dataset.rendered = 'true';
  }
}

// The audit chain's verdict, kept current without a reload: polls the server's JSON view of it (the same
// words the server renders) every 2 s while a walk is under way, every 10 s otherwise. Text goes in as
// textContent, never as markup.
function auditBadge() {
  const badge = document.getElementById('chain-badge');
  if (!badge || typeof fetch !== 'function') return;
  const poll = async () => {
    let state = badge.dataset.state;
    try {
      const res = await fetch('/audit/status.json', { headers: { Accept: 'application/json' } });
      if (res.ok) {
        const view = await res.json();
        if (typeof view.text === 'string' && view.text !== badge.textContent) badge.textContent = view.text;
        if (typeof view.href === 'string' && view.href.startsWith('/audit')) badge.setAttribute('href', view.href);
        if (typeof view.className === 'string') badge.className = view.className;
        if (typeof view.state === 'string') badge.dataset.state = state = view.state;
      }
    } catch {
      // The console stopped or the network blinked: try again later.
    }
    setTimeout(poll, state === 'checking' ? 2000 : 10000);
  };
  setTimeout(poll, badge.dataset.state === 'checking' ? 1000 : 10000);
}

document.addEventListener('DOMContentLoaded', () => {
  copyButtons();
  charts();
  auditBadge();
});
