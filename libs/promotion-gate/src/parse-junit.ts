import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { ShipgateError } from '@shipgate/model';
import { detectRunner } from './detect-runner';
import type { ParsedReport, EvidenceSource } from './read-source';
import { defaultMaxEvidenceBytes, openSource } from './read-source';
import type { AttributeMismatch, FailedCase, QaSummary } from './summaries';

/** Limits of the JUnit parser. */
export interface JunitParseOptions {
  /** Refuse larger inputs (default 512 MiB). */
  maxBytes?: number;
  /** How many failed cases to keep with their messages (default 20). */
  maxFailedCases?: number;
}

type Counted = 'tests' | 'failures' | 'errors' | 'skipped';
const countedFields: Counted[] = ['tests', 'failures', 'errors', 'skipped'];
const messageLimit = 300;

/** Case state while its element is open. */
interface OpenCase {
  suite: string;
  name: string;
  classname?: string;
  /** The first failure or error element's kind: what the case is listed as. */
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  /** Both can be present: pytest writes a test that fails and then errors in teardown as one case. */
  failed: boolean;
  errored: boolean;
  message?: string;
  line: number;
  capturing: boolean;
  text: string;
  time: number;
}

/**
 * Streams a JUnit XML report (vitest, jest-junit, pytest, Playwright, Surefire) through saxes and counts
 * its test cases. Never builds a tree, so memory stays flat however large the report; refuses any DOCTYPE
 * before parsing it, so entity tricks (billion laughs, external entities) never get a chance.
 */
export async function parseJunit(
  source: EvidenceSource,
  options: JunitParseOptions = {},
): Promise<ParsedReport<QaSummary>> {
  const reader = await openSource(source, options.maxBytes ?? defaultMaxEvidenceBytes);
  const maxFailedCases = options.maxFailedCases ?? 20;
  const label = reader.label;
  const parser = new SaxesParser({ xmlns: false, position: true });

  const counts = { tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0 };
  const failedCases: FailedCase[] = [];
  const suiteStack: string[] = [];
  let suites = 0;
  let rootName: string | undefined;
  let rootAttributes: Record<string, string> = {};
  let firstSuiteAttributes: Record<string, string> | undefined;
  const topLevel = {
    suites: 0,
    time: 0,
    timed: 0,
    sums: { tests: 0, failures: 0, errors: 0, skipped: 0 },
    present: { tests: 0, failures: 0, errors: 0, skipped: 0 },
  };
  let caseTime = 0;
  let current: OpenCase | undefined;
  let nonBlank = false;

  const invalid = (message: string, hint?: string) =>
    new ShipgateError('EVIDENCE_INVALID', message, {
      location: { file: label, line: parser.line, column: parser.column },
      hint:
        hint ??
        'Pass the JUnit XML file your test runner wrote (e.g. vitest --reporter=junit, jest-junit, pytest --junitxml).',
    });

  parser.on('error', (error) => {
    throw invalid(
      `expected well-formed JUnit XML in ${label}, found a syntax error at line ${parser.line}, column ${parser.column}: ${error.message.replace(/^.*?\d+:\d+: /, '')}`,
    );
  });
  parser.on('doctype', () => {
    throw unsafe(label, parser.line);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes;
    if (rootName === undefined) {
      rootName = tag.name;
      rootAttributes = a;
      if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
        throw invalid(
          `expected a JUnit report (root element <testsuites> or <testsuite>) in ${label}, found <${tag.name}>`,
        );
      }
    }
    switch (tag.name) {
      case 'testsuite': {
        suites++;
        firstSuiteAttributes ??= a;
        const topLevelSuite = rootName === 'testsuites' ? suiteStack.length === 0 : false;
        if (topLevelSuite) noteTopLevel(topLevel, a);
        suiteStack.push(a.name ?? '');
        break;
      }
      case 'testcase':
        // No runner nests test cases; a case inside a failing case would hide its failure.
        if (current)
          throw invalid(
            `expected each <testcase> in ${label} to end before the next begins, found <testcase name="${a.name ?? ''}"> inside <testcase name="${current.name}"> (opened at line ${current.line})`,
            'Record the report the test runner wrote, unedited; no runner nests <testcase> elements.',
          );
        current = {
          suite: suiteStack.at(-1) ?? rootAttributes.name ?? '',
          name: a.name ?? '',
          ...(a.classname ? { classname: a.classname } : {}),
          outcome: 'passed',
          failed: false,
          errored: false,
          line: parser.line,
          capturing: false,
          text: '',
          time: numberOr(a.time, 0),
        };
        break;
      case 'failure':
      case 'error':
        if (current && tag.name === 'failure') current.failed = true;
        if (current && tag.name === 'error') current.errored = true;
        if (current && (current.outcome === 'passed' || current.outcome === 'skipped')) {
          current.outcome = tag.name;
          if (a.message) current.message = a.message;
          current.capturing = current.message === undefined && failedCases.length < maxFailedCases;
        }
        break;
      case 'skipped':
        if (current && current.outcome === 'passed') current.outcome = 'skipped';
        break;
    }
  });
  const onText = (text: string) => {
    if (current?.capturing && current.text.length < 2000) current.text += text.slice(0, 2000);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (tag.name === 'testsuite') suiteStack.pop();
    else if ((tag.name === 'failure' || tag.name === 'error') && current) current.capturing = false;
    else if (tag.name === 'testcase' && current) {
      finishCase(current);
      current = undefined;
    }
  });

  function finishCase(c: OpenCase): void {
    counts.tests++;
    caseTime += c.time;
    if (c.outcome === 'passed') counts.passed++;
    else if (c.outcome === 'skipped') counts.skipped++;
    else {
      if (c.failed) counts.failures++;
      if (c.errored) counts.errors++;
      if (failedCases.length < maxFailedCases) {
        const message = firstLine(c.message ?? c.text) || `(no message; ${c.outcome} element was empty)`;
        failedCases.push({
          suite: c.suite,
          name: c.name,
          ...(c.classname ? { classname: c.classname } : {}),
          kind: c.outcome,
          message,
        });
      }
    }
  }

  let rootSeen = false;
  let carry = '';
  for await (const chunk of reader.chunks) {
    if (!rootSeen) {
      // DOCTYPE may only come before the root element, so only the prolog needs scanning.
      const prolog = carry + chunk;
      const doctype = prolog.search(/<!DOCTYPE/i);
      const element = prolog.search(/<[A-Za-z_]/);
      if (doctype >= 0 && (element < 0 || doctype < element))
        throw unsafe(label, parser.line + countLines(prolog.slice(0, doctype)));
      carry = prolog.slice(-9);
      nonBlank ||= /\S/.test(chunk);
    }
    parser.write(chunk);
    rootSeen ||= rootName !== undefined;
  }
  const { bytes, sourceHash } = reader.totals();
  if (!nonBlank) {
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected a JUnit XML report in ${label}, found ${bytes === 0 ? 'an empty file (0 bytes)' : 'only whitespace'}`,
      {
        location: { file: label },
        hint: "The test run probably did not write its report: check the runner's junit reporter settings and the output path.",
      },
    );
  }
  parser.close();
  if (rootName === undefined)
    throw invalid(`expected a JUnit report (root element <testsuites> or <testsuite>) in ${label}, found no element`);

  const declared = declaredCounts(rootName, rootAttributes, topLevel);
  const mismatches: AttributeMismatch[] = [];
  for (const field of countedFields) {
    const value = declared[field];
    if (value !== undefined && value !== counts[field])
      mismatches.push({ field, declared: value, counted: counts[field] });
  }
  const hidden = hiddenFailures(declared, counts);
  if (hidden)
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected the totals <${rootName}> declares in ${label} to match its test cases, found ${hidden}`,
      {
        location: { file: label },
        hint: 'Record the report the test runner wrote, unedited; a tool that merges reports must merge the test cases with their counts.',
      },
    );
  const rootTime = numberOr(rootAttributes.time, NaN);
  const durationSeconds = Number.isFinite(rootTime) ? rootTime : topLevel.timed > 0 ? topLevel.time : caseTime;
  const runner = detectRunner(rootName, rootAttributes, firstSuiteAttributes);
  const summary: QaSummary = {
    format: 'junit',
    ...(runner ? { runner } : {}),
    ...counts,
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    suites,
    failedCases,
    ...(mismatches.length ? { attributeMismatches: mismatches } : {}),
  };
  return { summary, sourceHash, bytes };
}

function unsafe(label: string, line: number): ShipgateError {
  return new ShipgateError(
    'EVIDENCE_UNSAFE',
    `expected a JUnit report without a DOCTYPE in ${label}, found <!DOCTYPE at line ${line}; DOCTYPE declarations (and with them entity definitions and external entities) are refused`,
    {
      location: { file: label, line },
      hint: 'Test runners never write a DOCTYPE; the file was produced or altered by something else.',
    },
  );
}

function noteTopLevel(
  topLevel: {
    suites: number;
    time: number;
    timed: number;
    sums: Record<Counted, number>;
    present: Record<Counted, number>;
  },
  a: Record<string, string>,
): void {
  topLevel.suites++;
  const time = numberOr(a.time, NaN);
  if (Number.isFinite(time)) {
    topLevel.time += time;
    topLevel.timed++;
  }
  for (const field of countedFields) {
    const value = numberOr(a[field], NaN);
    if (Number.isFinite(value)) {
      topLevel.sums[field] += value;
      topLevel.present[field]++;
    }
  }
}

/** The totals a report claims: the root's attributes, else the sum over its top-level suites. */
function declaredCounts(
  rootName: string,
  root: Record<string, string>,
  topLevel: { suites: number; sums: Record<Counted, number>; present: Record<Counted, number> },
): Partial<Record<Counted, number>> {
  const out: Partial<Record<Counted, number>> = {};
  for (const field of countedFields) {
    const own = numberOr(root[field], NaN);
    if (Number.isFinite(own)) out[field] = own;
    else if (rootName === 'testsuites' && topLevel.suites > 0 && topLevel.present[field] === topLevel.suites)
      out[field] = topLevel.sums[field];
  }
  return out;
}

/**
 * A report whose totals claim more failed or errored tests than its cases show has lost or hidden failed
 * cases: refused. Fewer declared than counted is not refused, as the counted cases block the gate anyway
 * (and the disagreement is kept in `attributeMismatches`). Failures and errors are compared as a sum, since
 * dialects differ in which of the two attributes an error counts in.
 */
function hiddenFailures(
  declared: Partial<Record<Counted, number>>,
  counted: Record<Counted, number>,
): string | undefined {
  if (declared.failures === undefined && declared.errors === undefined) return undefined;
  const claimed = (declared.failures ?? 0) + (declared.errors ?? 0);
  const shown = counted.failures + counted.errors;
  if (claimed <= shown) return undefined;
  const attributes = (['failures', 'errors'] as const)
    .filter((f) => declared[f] !== undefined)
    .map((f) => `${f}="${declared[f]}"`)
    .join(' ');
  return `${attributes} (${claimed} failed or errored) but ${shown} failed or errored <testcase> element${shown === 1 ? '' : 's'}`;
}

function numberOr(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text.replace(/,/g, ''));
  return Number.isFinite(value) ? value : fallback;
}

function firstLine(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  return line.length > messageLimit ? `${line.slice(0, messageLimit - 1)}…` : line;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
