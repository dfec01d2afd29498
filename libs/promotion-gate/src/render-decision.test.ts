import { describe, expect, it } from 'vitest';
import type { Decision } from '@shipgate/model';
import { md, renderDecisionJson, renderDecisionMarkdown, renderDecisionTable } from './render-decision';

const decision: Decision = {
  id: 'dec-0123456789abcdef',
  releaseId: 'rel-fedcba9876543210',
  service: 'sample-service',
  digest: `sha256:${'a1'.repeat(32)}`,
  environment: 'production',
  outcome: 'block',
  evaluatedAt: '2026-06-10T12:00:00.000Z',
  requirements: [
    {
      id: 'qa.tests',
      title: 'QA: number of tests',
      status: 'pass',
      required: '≥ 10 tests',
      observed: '25 tests',
      reason: '25 tests ≥ 10 required',
    },
    {
      id: 'stress.p95',
      title: 'Stress: p95 latency',
      status: 'fail',
      required: 'p95 ≤ 300 ms',
      observed: 'p95 412 ms',
      reason: 'p95 412 ms > limit 300 ms',
    },
    {
      id: 'qa.failures',
      title: 'QA: failures and errors',
      status: 'fail',
      required: '≤ 0 failures + errors',
      observed: '1 failure',
      reason: '1 failure > 0 allowed; first: a | b › <img src=x onerror=alert(1)>: expected *bold*\nsecond line',
    },
    {
      id: 'stress.evidence',
      title: 'Stress evidence',
      status: 'stale',
      required: 'stress evidence',
      observed: 'none usable',
      reason: 'ev-1 is stale',
    },
  ],
};

describe('renderDecisionTable', () => {
  it('aligns the columns and marks each status with a symbol', () => {
    const lines = renderDecisionTable(decision).split('\n');
    expect(lines[0]).toBe('BLOCK sample-service rel-fedcba9876543210 → production (3 of 4 requirements not met)');
    const rows = lines.slice(4);
    expect(rows.map((r) => r[0])).toEqual(['✓', '✗', '✗', '⌛']);
    // Every row's "required" column starts at the same position.
    const column = [...lines[2]!].join('').indexOf('required');
    for (const row of rows) expect([...row].slice(column, column + 1)[0]).not.toBe(' ');
    expect(rows[1]).toMatch(/^✗  Stress: p95 latency\s+p95 ≤ 300 ms\s+p95 412 ms\s+FAIL: p95 412 ms > limit 300 ms$/);
    expect(rows[2]).toContain('expected *bold* second line');
  });

  it('shortens an overlong required or observed cell, keeping the reason whole', () => {
    const long = {
      ...decision,
      requirements: [{ ...decision.requirements[0]!, observed: 'x'.repeat(80), reason: 'y'.repeat(200) }],
    };
    const row = renderDecisionTable(long).split('\n')[4]!;
    expect(row).toContain(`${'x'.repeat(55)}…`);
    expect(row).not.toContain('x'.repeat(56));
    expect(row.endsWith('y'.repeat(200))).toBe(true);
  });

  it('shows terminal control characters escaped', () => {
    const hostile = { ...decision, requirements: [{ ...decision.requirements[0]!, reason: 'name\u001b[31mred' }] };
    expect(renderDecisionTable(hostile)).toContain('name\\x1b[31mred');
  });
});

describe('renderDecisionMarkdown', () => {
  it('has a BLOCK heading, a table row per requirement, and escapes pipes and HTML', () => {
    const text = renderDecisionMarkdown(decision);
    const lines = text.split('\n');
    expect(lines[0]).toBe('## ⛔ BLOCK: sample-service → production');
    expect(lines).toContain('| | Requirement | Required | Observed | Reason |');
    const row = lines.find((l) => l.includes('QA: failures'))!;
    expect(row).toBe(
      '| ❌ fail | QA: failures and errors | ≤ 0 failures + errors | 1 failure | 1 failure &gt; 0 allowed; first: a \\| b › &lt;img src=x onerror=alert(1)&gt;: expected \\*bold\\*<br>second line |',
    );
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(text).not.toContain('<img');
  });

  it('says PASS when the gate passed', () => {
    const passed = renderDecisionMarkdown({ ...decision, outcome: 'pass', requirements: [decision.requirements[0]!] });
    expect(passed.split('\n')[0]).toBe('## ✅ PASS: sample-service → production');
    expect(passed).toContain('all 1 requirements met.');
  });

  it('escapes Markdown link and code syntax', () => {
    expect(md('[click](https://evil.example) `x`')).toBe('\\[click\\](https://evil.example) \\`x\\`');
  });
});

describe('renderDecisionJson', () => {
  it('is the decision itself', () => {
    expect(JSON.parse(renderDecisionJson(decision))).toEqual(decision);
  });
});
