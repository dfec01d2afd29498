/**
 * Config validation cost as shipgate.yaml grows, against parsing the same text as YAML (the work any
 * validation has to do) in the same run (#11 item 14). Linear validation keeps the ratio per doubling
 * near 2 and the validate/parse ratio flat; the YAML library's own duplicate-key check (on by default,
 * the "naive" column) compares every key with every earlier key of its mapping, so its time grows about
 * fourfold per doubling. Three shapes: many services, a long promotion chain (the old cycle search was
 * cubic), and a config whose every environment names undeclared services (one problem per line).
 * Run: npx tsx libs/model/bench/validate-config.bench.ts
 */
import { parseDocument } from 'yaml';
import { maxConfigBytes, validateConfigText } from '../src/config/validate-config';

const service = (i: number) =>
  [`  svc-${i}:`, '    containerName: app', '    containerPort: 8080', '    taskDefinition: taskdef.json'].join('\n');

const shapes: Record<string, (n: number) => string> = {
  'services × 3 environments': (n) => {
    const lines = ['version: 1', 'project: big', 'services:'];
    for (let i = 0; i < n; i++) lines.push(service(i));
    lines.push('environments:');
    for (const env of ['test', 'staging', 'production']) {
      lines.push(`  ${env}:`, '    dataPolicy: synthetic', '    services:');
      for (let i = 0; i < n; i++) lines.push(`      svc-${i}: { productionListenerPort: 80, testListenerPort: 81 }`);
    }
    return lines.join('\n') + '\n';
  },
  'promotion chain': (n) => {
    const lines = ['version: 1', 'project: big', 'services:', service(0), 'environments:'];
    for (let i = 0; i < n; i++) {
      lines.push(`  env-${i}:`, '    dataPolicy: synthetic');
      lines.push('    services: { svc-0: { productionListenerPort: 80, testListenerPort: 81 } }');
      if (i > 0) lines.push(`    promotion: { from: env-${i - 1} }`);
    }
    return lines.join('\n') + '\n';
  },
  'undeclared services (problems)': (n) => {
    const lines = ['version: 1', 'project: big', 'services:'];
    for (let i = 0; i < n; i++) lines.push(service(i));
    lines.push('environments:', '  test:', '    dataPolicy: synthetic', '    services:');
    for (let i = 0; i < n; i++) lines.push(`      other-${i}: { productionListenerPort: 80, testListenerPort: 81 }`);
    return lines.join('\n') + '\n';
  },
};

/** Best of `runs` wall-clock times, in milliseconds. */
function best(runs: number, work: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    work();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** The number of units that makes the text about `bytes` long. */
function unitsFor(shape: (n: number) => string, bytes: number): number {
  const per = shape(100).length / 100;
  return Math.max(1, Math.floor(bytes / per) - 2);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(11);
const sizes = [maxConfigBytes / 8, maxConfigBytes / 4, maxConfigBytes / 2, maxConfigBytes * 0.98];
for (const [name, shape] of Object.entries(shapes)) {
  console.log(`\n${name}`);
  console.log('      size       parse    validate  v/parse  validate×/doubling       naive  naive×/doubling');
  // Warm-up, so that the first size does not pay for the JIT.
  validateConfigText(shape(unitsFor(shape, sizes[0]!)));
  let previous: { validate: number; naive: number } | undefined;
  for (const target of sizes) {
    const text = shape(unitsFor(shape, target));
    const result = validateConfigText(text);
    if (text.length > maxConfigBytes) throw new Error(`bench text of ${text.length} bytes is over the limit`);
    const problems = result.ok ? 0 : result.problems.length;
    const parse = best(3, () => parseDocument(text, { uniqueKeys: false }));
    const validate = best(3, () => validateConfigText(text));
    const naive = best(1, () => parseDocument(text).toJS());
    const line = [
      `${(text.length / 1024).toFixed(0)} KiB`.padStart(10),
      fmt(parse),
      fmt(validate),
      `${(validate / parse).toFixed(2)}`.padStart(8),
      (previous ? `${(validate / previous.validate).toFixed(2)}` : '').padStart(20),
      fmt(naive),
      (previous ? `${(naive / previous.naive).toFixed(2)}` : '').padStart(17),
      problems ? `  (${problems} problems)` : '',
    ];
    console.log(line.join(''));
    previous = { validate, naive };
  }
}

// Past the limit nothing is parsed: the 58 MB config of the issue is refused at once.
const huge = shapes['services × 3 environments']!(unitsFor(shapes['services × 3 environments']!, 58 * 1024 * 1024));
const refused = validateConfigText(huge);
const refuseMs = best(3, () => validateConfigText(huge));
console.log(
  `\n${(huge.length / 1024 / 1024).toFixed(0)} MiB: ${refused.ok ? 'accepted?!' : refused.problems[0]!.code} in ${refuseMs.toFixed(1)} ms`,
);
