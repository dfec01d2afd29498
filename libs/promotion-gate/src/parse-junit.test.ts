import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipgateError, sha256Hex } from '@shipgate/model';
import { readFileSync } from 'node:fs';
import { parseJunit } from './parse-junit';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/junit/${name}`, import.meta.url));
const text = (xml: string) => Readable.from([Buffer.from(xml, 'utf8')]);

async function failure(promise: Promise<unknown>): Promise<ShipgateError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ShipgateError);
    return error as ShipgateError;
  }
  throw new Error('expected the parse to fail');
}

describe('parseJunit on real runner output', () => {
  it('counts the passing vitest report and hashes its bytes', async () => {
    const { summary, sourceHash, bytes } = await parseJunit(fixture('vitest-pass.junit.xml'));
    const raw = readFileSync(fixture('vitest-pass.junit.xml'));
    expect(summary).toMatchObject({
      format: 'junit',
      runner: 'vitest',
      tests: 25,
      passed: 25,
      failures: 0,
      errors: 0,
      skipped: 0,
      suites: 1,
      failedCases: [],
    });
    expect(summary.durationSeconds).toBe(0.006);
    expect(summary.attributeMismatches).toBeUndefined();
    expect(bytes).toBe(raw.length);
    expect(sourceHash).toBe(sha256Hex(raw));
  });

  it('counts failures and skips in the vitest report and decodes entities in names and messages', async () => {
    const { summary } = await parseJunit(fixture('vitest-mixed.junit.xml'));
    expect(summary).toMatchObject({ runner: 'vitest', tests: 7, passed: 4, failures: 1, errors: 0, skipped: 2 });
    expect(summary.failedCases).toEqual([
      {
        suite: 'checkout.test.ts',
        classname: 'checkout.test.ts',
        name: 'checkout flow > refunds > fails when the payment reference is missing',
        kind: 'failure',
        message: "expected { ref: null } to deeply equal { ref: 'pay_123' }",
      },
    ]);
  });

  it('takes the first line of the body as the message when jest-junit writes no message attribute', async () => {
    const { summary } = await parseJunit(fixture('jest-mixed.junit.xml'));
    expect(summary).toMatchObject({
      runner: 'jest',
      tests: 5,
      passed: 3,
      failures: 1,
      skipped: 1,
      suites: 1,
      durationSeconds: 0.38,
    });
    expect(summary.failedCases[0]).toMatchObject({
      suite: 'payments',
      name: 'payments times out against the gateway',
      message: 'Error: expect(received).toBe(expected) // Object.is equality',
    });
  });

  it('reads a pytest report with a setup error and a skip', async () => {
    const { summary } = await parseJunit(fixture('pytest-mixed.junit.xml'));
    expect(summary).toMatchObject({
      runner: 'pytest',
      tests: 6,
      passed: 3,
      failures: 1,
      errors: 1,
      skipped: 1,
      durationSeconds: 1.734,
    });
    expect(summary.failedCases.map((c) => [c.kind, c.name, c.message])).toEqual([
      ['failure', 'test_cancel_order', 'AssertionError: assert 409 == 200'],
      ['error', 'test_capture', 'failed on setup with "psycopg.OperationalError: connection refused"'],
    ]);
  });

  it('reads a Playwright report, ignoring an HTML doctype inside CDATA', async () => {
    const { summary } = await parseJunit(fixture('playwright-mixed.junit.xml'));
    expect(summary).toMatchObject({
      runner: 'playwright',
      tests: 5,
      passed: 3,
      failures: 1,
      skipped: 1,
      suites: 2,
      durationSeconds: 9.412,
    });
    expect(summary.failedCases[0]).toMatchObject({
      suite: 'checkout.spec.ts',
      name: 'checkout › shows the order number',
      message: 'checkout.spec.ts:27:5 shows the order number',
    });
  });

  it('reads a lone Surefire <testsuite>, not counting a flaky failure that passed on rerun', async () => {
    const { summary } = await parseJunit(fixture('surefire-mixed.junit.xml'));
    expect(summary).toMatchObject({
      runner: 'surefire',
      tests: 5,
      passed: 2,
      failures: 1,
      errors: 1,
      skipped: 1,
      suites: 1,
      durationSeconds: 0.846,
    });
    expect(summary.failedCases.map((c) => c.message)).toEqual([
      'expected: <400> but was: <500>',
      'Cannot invoke "java.math.BigDecimal.multiply(java.math.BigDecimal)" because "rate" is null',
    ]);
    expect(summary.attributeMismatches).toBeUndefined();
  });
});

describe('parseJunit on shapes and disagreements', () => {
  it('counts nested suites and reports attributes that disagree with the test cases', async () => {
    const xml = `<testsuites tests="4" failures="0">
      <testsuite name="outer" tests="3"><testsuite name="inner"><testcase name="a"/><testcase name="b"><failure message="boom"/></testcase></testsuite>
      <testcase name="c"/></testsuite></testsuites>`;
    const { summary } = await parseJunit(text(xml));
    expect(summary).toMatchObject({ tests: 3, passed: 2, failures: 1, suites: 2 });
    expect(summary.failedCases[0]).toMatchObject({ suite: 'inner', name: 'b', message: 'boom' });
    expect(summary.attributeMismatches).toEqual([
      { field: 'tests', declared: 4, counted: 3 },
      { field: 'failures', declared: 0, counted: 1 },
    ]);
  });

  it('keeps only the first N failed cases but counts them all', async () => {
    const cases = Array.from(
      { length: 30 },
      (_, i) => `<testcase name="t${i}"><failure>line ${i}\nmore</failure></testcase>`,
    ).join('');
    const { summary } = await parseJunit(text(`<testsuite name="s">${cases}</testsuite>`), { maxFailedCases: 5 });
    expect(summary.failures).toBe(30);
    expect(summary.failedCases.map((c) => c.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('parses a report split into many small chunks, even inside multi-byte characters', async () => {
    const xml = Buffer.from(
      '<testsuite name="ü"><testcase name="ünïcödé ✓"><failure message="ß"/></testcase></testsuite>',
      'utf8',
    );
    const chunks = Array.from({ length: xml.length }, (_, i) => xml.subarray(i, i + 1));
    const { summary } = await parseJunit(Readable.from(chunks));
    expect(summary.failedCases[0]).toMatchObject({ suite: 'ü', name: 'ünïcödé ✓', message: 'ß' });
  });
});

describe('parseJunit refuses bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'junit-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a DOCTYPE with an external entity before parsing it', async () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE testsuites [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<testsuites><testsuite name="&xxe;"/></testsuites>';
    const error = await failure(parseJunit(text(xml)));
    expect(error.code).toBe('EVIDENCE_UNSAFE');
    expect(error.message).toContain('found <!DOCTYPE at line 2');
    expect(error.location?.line).toBe(2);
  });

  it('refuses a billion-laughs document up front', async () => {
    const entities = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ].join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities}\n]>\n<testsuites><testsuite name="&lol9;"/></testsuites>`;
    const error = await failure(parseJunit(text(xml)));
    expect(error.code).toBe('EVIDENCE_UNSAFE');
    expect(error.message).toMatch(
      /DOCTYPE declarations \(and with them entity definitions and external entities\) are refused/,
    );
  });

  it('refuses an entity reference that no DOCTYPE defines, with its position', async () => {
    const error = await failure(parseJunit(text('<testsuites>\n  <testsuite name="&lol9;"/>\n</testsuites>')));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.location?.line).toBe(2);
    expect(error.message).toMatch(/undefined entity/i);
  });

  it('reports truncated XML with line and column', async () => {
    const xml = readFileSync(fixture('vitest-mixed.junit.xml'), 'utf8');
    const truncated = xml.slice(
      0,
      xml.indexOf('<testcase classname="checkout.test.ts" name="checkout flow &gt; handles'),
    );
    const error = await failure(parseJunit(text(truncated)));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toMatch(
      /expected well-formed JUnit XML in the input stream, found a syntax error at line \d+, column \d+: unclosed tag: testsuite/,
    );
    expect(error.location?.line).toBeGreaterThan(20);
  });

  it('says a zero-byte file is empty', async () => {
    const path = join(dir, 'empty.xml');
    await writeFile(path, '');
    const error = await failure(parseJunit(path));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toBe(`expected a JUnit XML report in ${path}, found an empty file (0 bytes)`);
  });

  it('says a whitespace-only file has nothing in it', async () => {
    const error = await failure(parseJunit(text('  \n\n ')));
    expect(error.message).toBe('expected a JUnit XML report in the input stream, found only whitespace');
  });

  it('refuses a file that is XML but not JUnit', async () => {
    const error = await failure(parseJunit(text('<html><body/></html>')));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toBe(
      'expected a JUnit report (root element <testsuites> or <testsuite>) in the input stream, found <html>',
    );
  });

  it('refuses JSON given as JUnit', async () => {
    const error = await failure(parseJunit(text('{"tests": 3}')));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toMatch(/found a syntax error at line 1/);
  });

  it('refuses a file over the size limit before reading it, and a stream once it passes the limit', async () => {
    const path = join(dir, 'big.xml');
    await writeFile(path, `<testsuite>${'<testcase name="x"/>'.repeat(100)}</testsuite>`);
    const fromFile = await failure(parseJunit(path, { maxBytes: 1000 }));
    expect(fromFile.code).toBe('EVIDENCE_TOO_LARGE');
    expect(fromFile.message).toBe(`expected ${path} to be at most 1000 B, found 2 KiB`);
    const chunks = Array.from({ length: 50 }, () => Buffer.from('<testcase name="x"/>'));
    const fromStream = await failure(
      parseJunit(Readable.from([Buffer.from('<testsuite>'), ...chunks]), { maxBytes: 500 }),
    );
    expect(fromStream.code).toBe('EVIDENCE_TOO_LARGE');
    expect(fromStream.message).toMatch(/^expected the input stream to be at most 500 B, found more than that/);
  });

  it('says a missing file is missing', async () => {
    const error = await failure(parseJunit(join(dir, 'nope.xml')));
    expect(error.message).toBe(`expected an evidence file at ${join(dir, 'nope.xml')}, found no such file`);
  });
});

// #11 item 10: a failure nested out of sight, and totals that claim failures the cases do not show.
describe('parseJunit refuses reports that hide failures (#11.10)', () => {
  const read = (name: string) => readFileSync(fixture(name), 'utf8');

  it('refuses a <testcase> inside a failing <testcase>, which would hide the failure', async () => {
    const xml = `<testsuite name="s" tests="1" failures="1">\n<testcase name="outer"><failure message="boom"/>\n<testcase name="inner"/></testcase>\n</testsuite>`;
    const error = await failure(parseJunit(text(xml)));
    expect(error.code).toBe('EVIDENCE_INVALID');
    expect(error.message).toBe(
      'expected each <testcase> in the input stream to end before the next begins, found <testcase name="inner"> inside <testcase name="outer"> (opened at line 2)',
    );
    expect(error.location?.line).toBe(3);
  });

  it('refuses a nested <testcase> in the pytest and Playwright dialects too', async () => {
    const pytest = read('pytest-mixed.junit.xml').replace(
      '<testcase classname="tests.test_orders" name="test_cancel_order" time="0.204">',
      '$&<testcase classname="tests.test_orders" name="test_cancel_order_retry" time="0.1"/>',
    );
    expect((await failure(parseJunit(text(pytest)))).message).toMatch(
      /found <testcase name="test_cancel_order_retry"> inside <testcase name="test_cancel_order">/,
    );
    const playwright = read('playwright-mixed.junit.xml').replace(
      '<failure message="checkout.spec.ts:27:5 shows the order number" type="FAILURE">',
      '$&</failure><testcase name="retry" classname="checkout.spec.ts" time="0"/><failure>',
    );
    expect((await failure(parseJunit(text(playwright)))).message).toMatch(
      /found <testcase name="retry"> inside <testcase name="checkout › shows the order number">/,
    );
  });

  it('refuses totals that claim more failures than the cases show, in every dialect', async () => {
    // Each dialect's declared failures and errors, and the failed or errored cases left once the
    // <failure> elements are gone (pytest and Surefire keep their <error> case).
    const dialects: Array<[string, number, number, number]> = [
      ['pytest-mixed', 1, 1, 1],
      ['playwright-mixed', 1, 0, 0],
      ['jest-mixed', 1, 0, 0],
      ['vitest-mixed', 1, 0, 0],
      ['surefire-mixed', 1, 1, 1],
    ];
    const withoutFailures = dialects.map(([name, failures, errors, shown]): [string, string, string] => [
      `${name}.junit.xml`,
      name,
      `failures="${failures}" errors="${errors}" (${failures + errors} failed or errored) but ${shown} failed or errored <testcase> element${shown === 1 ? '' : 's'}`,
    ]);
    for (const [file, dialect, found] of withoutFailures) {
      // The report with its <failure> elements removed and its totals left as they were.
      const edited = read(file).replace(/<failure\b[^>]*\/>|<failure\b[^>]*>[\s\S]*?<\/failure>/g, '');
      expect(edited, dialect).not.toMatch(/<failure\b/);
      const error = await failure(parseJunit(text(edited)));
      expect(error.code, dialect).toBe('EVIDENCE_INVALID');
      expect(error.message, dialect).toMatch(
        /^expected the totals <testsuites?> declares in the input stream to match its test cases, found /,
      );
      expect(error.message.endsWith(`, found ${found}`), error.message).toBe(true);
    }
  });

  it('counts a pytest case that failed and then errored in teardown as pytest does: one test, a failure and an error', async () => {
    const xml = `<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="0" tests="2"><testcase classname="t" name="test_ok" time="0.1"/><testcase classname="t" name="test_db" time="0.2"><failure message="assert 1 == 2">x</failure><error message="failed on teardown with &quot;OSError&quot;">y</error></testcase></testsuite></testsuites>`;
    const { summary } = await parseJunit(text(xml));
    expect(summary).toMatchObject({ runner: 'pytest', tests: 2, passed: 1, failures: 1, errors: 1 });
    expect(summary.attributeMismatches).toBeUndefined();
    expect(summary.failedCases.map((c) => [c.kind, c.name])).toEqual([['failure', 'test_db']]);
  });

  it('still reads every real report of every dialect without a disagreement', async () => {
    for (const file of [
      'vitest-pass',
      'vitest-mixed',
      'jest-mixed',
      'pytest-mixed',
      'playwright-mixed',
      'surefire-mixed',
    ]) {
      const { summary } = await parseJunit(fixture(`${file}.junit.xml`));
      expect(summary.attributeMismatches, file).toBeUndefined();
    }
  });
});
