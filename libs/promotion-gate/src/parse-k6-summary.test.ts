import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShipgateError, sha256Hex } from '@shipgate/model';
import { parseK6Summary, parseK6SummaryText, readK6Summary } from './parse-k6-summary';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/k6/${name}`, import.meta.url));
const failed = (s: { thresholds: { metric: string; expression: string; passed: boolean }[] }) =>
  s.thresholds.filter((t) => !t.passed).map((t) => `${t.metric} ${t.expression}`);
const passed = (s: { thresholds: { metric: string; expression: string; passed: boolean }[] }) =>
  s.thresholds.filter((t) => t.passed).map((t) => `${t.metric} ${t.expression}`);

const failedInFailRun = [
  'checks rate>0.99',
  'flaky_errors count<3',
  'flaky_success rate>0.99',
  'http_req_duration{endpoint:flaky} p(95)<2',
  'http_req_failed rate<0.01',
];
const passedInFailRun = ['flaky_latency p(95)<200', 'http_req_duration p(95)<200'];

function thrown(fn: () => unknown): ShipgateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ShipgateError);
    return error as ShipgateError;
  }
  throw new Error('expected an error');
}

describe('k6 summaries from the failing run', () => {
  for (const format of ['summary-export', 'handle-summary'] as const) {
    it(`reads the ${format} file: 214 requests, 9 failed, and exactly the five failed thresholds`, async () => {
      const { summary, sourceHash } = await readK6Summary(fixture(`k6-fail.${format}.json`));
      expect(sourceHash).toBe(sha256Hex(readFileSync(fixture(`k6-fail.${format}.json`))));
      expect(summary).toMatchObject({
        tool: 'k6',
        format,
        httpRequests: 214,
        failedRequests: 9,
        iterations: 214,
        peakVus: 19,
      });
      expect(summary.failedRequestRate).toBeCloseTo(0.042056, 6);
      expect(summary.p95Ms).toBeCloseTo(11.5185, 4);
      expect(summary.p99Ms).toBeUndefined();
      expect(failed(summary)).toEqual(failedInFailRun);
      expect(passed(summary)).toEqual(passedInFailRun);
      expect(summary.checks).toEqual([
        { name: 'flaky status is 200', path: '::flaky status is 200', passes: 205, fails: 9 },
        { name: 'flaky body ok', path: '::flaky body ok', passes: 205, fails: 9 },
      ]);
    });
  }

  it('takes the duration from handleSummary state and says summary-export has none', async () => {
    const handle = (await readK6Summary(fixture('k6-fail.handle-summary.json'))).summary;
    const exported = (await readK6Summary(fixture('k6-fail.summary-export.json'))).summary;
    expect(handle.durationMs).toBe(10179);
    expect(exported.durationMs).toBeUndefined();
    expect(exported.notes).toContain('the --summary-export format records no test duration');
  });
});

describe('k6 summaries from the passing run', () => {
  for (const format of ['summary-export', 'handle-summary'] as const) {
    it(`reads the ${format} file: 220 requests, none failed, all 9 thresholds passed, checks flattened out of groups`, async () => {
      const { summary } = await readK6Summary(fixture(`k6-pass.${format}.json`));
      expect(summary).toMatchObject({
        tool: 'k6',
        format,
        httpRequests: 220,
        failedRequests: 0,
        failedRequestRate: 0,
        iterations: 110,
        peakVus: 19,
      });
      expect(summary.p95Ms).toBeCloseTo(46.477, 3);
      expect(summary.thresholds).toHaveLength(9);
      expect(failed(summary)).toEqual([]);
      expect(summary.checks.map((c) => [c.path, c.passes, c.fails]).sort()).toEqual([
        ['::health::health status is 200', 110, 0],
        ['::slow::slow body has delay_ms', 110, 0],
        ['::slow::slow status is 200', 110, 0],
      ]);
    });
  }

  it('gives the same normalised numbers for both formats of one run', async () => {
    const a = (await readK6Summary(fixture('k6-pass.summary-export.json'))).summary;
    const b = (await readK6Summary(fixture('k6-pass.handle-summary.json'))).summary;
    const pick = (s: typeof a) => ({
      t: s.thresholds,
      r: s.httpRequests,
      f: s.failedRequests,
      i: s.iterations,
      v: s.peakVus,
      p: s.p95Ms,
    });
    expect(pick(a)).toEqual(pick(b));
  });
});

describe('k6 summaries that are not', () => {
  it('refuses JSON that is not a k6 summary, saying what was expected', () => {
    const error = thrown(() => parseK6SummaryText('{"name":"shipgate","version":"1.0.0"}', { label: 'package.json' }));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toBe(
      'expected a k6 summary: the --summary-export file or the handleSummary(data) JSON, an object with "metrics" and "root_group" in package.json, found an object with keys name, version',
    );
  });

  it('refuses a JSON array and an NDJSON line', () => {
    expect(thrown(() => parseK6Summary([1, 2])).message).toMatch(/found a JSON array$/);
    const ndjson =
      '{"type":"Metric","data":{"name":"http_reqs"},"metric":"http_reqs"}\n{"metric":"http_reqs","type":"Point"}';
    expect(thrown(() => parseK6SummaryText(ndjson)).message).toMatch(
      /found text that is not JSON \(line 2, column 1\)/,
    );
  });

  it('refuses a threshold value of the wrong shape instead of guessing its meaning', () => {
    const error = thrown(() =>
      parseK6Summary({ root_group: {}, metrics: { http_reqs: { count: 1, thresholds: { 'count>0': 'yes' } } } }),
    );
    expect(error.message).toMatch(
      /threshold "http_reqs: count>0" as "yes" instead of true \(failed\) or false \(passed\)$/,
    );
  });

  it('says an empty file is empty', async () => {
    const error = await readK6Summary(Readable.from([Buffer.alloc(0)])).catch((e: ShipgateError) => e);
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).message).toMatch(/in the input stream, found an empty file \(0 bytes\)$/);
  });

  it('reports a truncated file with its position', () => {
    const text = readFileSync(fixture('k6-pass.handle-summary.json'), 'utf8').slice(0, 500);
    const error = thrown(() => parseK6SummaryText(text, { label: 'k6.json' }));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toMatch(/^expected a k6 summary.* in k6\.json, found text that is not JSON/);
  });
});

// #11 item 9: k6's numbers are range-checked and its threshold verdicts recomputed from them.
describe('k6 summaries whose numbers or verdicts are not what k6 writes (#11.9)', () => {
  // A real summary to edit: each edit reaches into the shape it breaks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Json = Record<string, any>;
  const json = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as Json;

  it('recomputes every threshold of the real runs and agrees with k6, keeping the observed number', async () => {
    for (const run of ['pass', 'fail'])
      for (const format of ['summary-export', 'handle-summary']) {
        const { summary } = await readK6Summary(fixture(`k6-${run}.${format}.json`));
        const observed = Object.fromEntries(summary.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.observed]));
        if (run === 'fail') {
          expect(observed['http_req_failed rate<0.01']).toBeCloseTo(0.04206, 5);
          expect(observed['flaky_errors count<3']).toBe(9);
          expect(observed['http_req_duration{endpoint:flaky} p(95)<2']).toBeCloseTo(11.5185, 4);
        } else {
          expect(observed['slow_requests count>50']).toBe(110);
          // k6 evaluated p(99) but wrote no p(99) for it: kept as k6 said, and said so.
          expect(observed['http_req_duration{endpoint:slow} p(99)<300']).toBeUndefined();
          expect(summary.notes).toContain(
            'threshold "http_req_duration{endpoint:slow}: p(99)<300" not re-evaluated: the summary holds no p(99) of http_req_duration{endpoint:slow}',
          );
        }
      }
  });

  it('refuses a custom threshold marked ok whose own numbers cross it (errors rate 0.6 with rate<0.01)', () => {
    const data = json('k6-pass.handle-summary.json');
    data.metrics.errors = {
      type: 'rate',
      contains: 'default',
      values: { rate: 0.6, passes: 6, fails: 4 },
      thresholds: { 'rate<0.01': { ok: true } },
    };
    const error = thrown(() => parseK6Summary(data, { label: 'k6.json' }));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toBe(
      `expected every threshold verdict in k6.json to follow from the summary's own numbers, found "errors: rate<0.01" is marked passed, but rate is 0.6`,
    );
    expect(error.hint).toMatch(/record the file k6 itself wrote/);
  });

  it('refuses a summary-export whose failed threshold was flipped to passed', () => {
    const data = json('k6-fail.summary-export.json');
    data.metrics.http_req_failed.thresholds['rate<0.01'] = false;
    data.metrics.flaky_errors.thresholds['count<3'] = false;
    expect(thrown(() => parseK6Summary(data)).message).toMatch(
      /found "flaky_errors: count<3" is marked passed, but count is 9; "http_req_failed: rate<0.01" is marked passed, but rate is 0\.042/,
    );
  });

  it('refuses negative percentiles, rates outside 0..1, rates that disagree with their samples and negative check counts', () => {
    const cases: Array<[string, (d: Json) => void, RegExp]> = [
      [
        'negative p95',
        (d) => (d.metrics.http_req_duration.values['p(95)'] = -5),
        /metric "http_req_duration" p\(95\) -5 is negative/,
      ],
      ['rate above 1', (d) => (d.metrics.checks.values.rate = 1.5), /metric "checks" rate 1\.5 is outside 0\.\.1/],
      [
        'rate below 0',
        (d) => (d.metrics.http_req_failed.values.rate = -0.1),
        /metric "http_req_failed" rate -0\.1 is outside 0\.\.1/,
      ],
      [
        'rate vs samples',
        (d) => (d.metrics.http_req_failed.values.passes = 50),
        /metric "http_req_failed" rate 0 disagrees with its 50 of 270 samples/,
      ],
      [
        'negative check count',
        (d) => (d.root_group.groups[0].checks[0].fails = -3),
        /check "::health::health status is 200" fails -3 is not a count/,
      ],
      [
        'p90 above p95',
        (d) => (d.metrics.http_req_duration.values['p(90)'] = 50),
        /metric "http_req_duration" p\(95\) 46\.47\d* is below p\(90\) 50/,
      ],
      [
        'max below a percentile',
        (d) => (d.metrics.slow_latency.values.max = 10),
        /metric "slow_latency" .* is outside min 5\.995647 \.\. max 10/,
      ],
      [
        'a string as a stat',
        (d) => (d.metrics.http_reqs.values.count = '220'),
        /metric "http_reqs" count "220" is not a number/,
      ],
      [
        'negative request count',
        (d) => (d.metrics.http_reqs.values.count = -220),
        /metric "http_reqs" count -220 is negative/,
      ],
      ['fractional VUs', (d) => (d.metrics.vus.values.max = 2.5), /metric "vus" max 2\.5 is not a count/],
      ['negative duration', (d) => (d.state.testRunDurationMs = -1), /state\.testRunDurationMs -1 is negative/],
    ];
    for (const [what, edit, message] of cases) {
      const data = json('k6-pass.handle-summary.json');
      edit(data);
      const error = thrown(() => parseK6Summary(data, { label: 'k6.json' }));
      expect(error.code, what).toBe('EVIDENCE_INVALID');
      expect(error.message, what).toMatch(/^expected the numbers k6 writes in k6\.json, found /);
      expect(error.message, what).toMatch(message);
    }
  });

  it('range-checks summary-export numbers too, where no metric says its type', () => {
    const data = json('k6-fail.summary-export.json');
    data.metrics.flaky_success.value = 2;
    expect(thrown(() => parseK6Summary(data)).message).toMatch(/metric "flaky_success" value 2 is outside 0\.\.1/);
  });
});
