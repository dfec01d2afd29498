import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ShipgateError, parseDuration, promotionPolicySchema } from '@shipgate/model';
import { policyInput } from './testing/gate-fixtures';

/** The schema's messages with their paths, as the config validator reports them. */
function problems(input: unknown): string[] {
  const result = promotionPolicySchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map(
    (i) => `${i.path.join('.')}: ${i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message}`,
  );
}

describe('parseDuration', () => {
  it('reads the units shipgate.yaml uses', () => {
    expect([
      parseDuration('90s'),
      parseDuration('15m'),
      parseDuration('72h'),
      parseDuration('7d'),
      parseDuration('500ms'),
      parseDuration('1.5h'),
    ]).toEqual([90_000, 900_000, 259_200_000, 604_800_000, 500, 5_400_000]);
  });

  it('says what it expected and what it found', () => {
    for (const bad of ['72', '72 hours', '', '3w', '-5m']) {
      let error: unknown;
      try {
        parseDuration(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShipgateError);
      expect((error as ShipgateError).message).toBe(
        `expected a duration such as 90s, 15m, 72h or 7d (a number followed by ms, s, m, h or d), found ${JSON.stringify(bad)}`,
      );
    }
  });
});

describe('promotionPolicySchema', () => {
  it('accepts the suggested policy and applies defaults', () => {
    const parsed = promotionPolicySchema.parse({
      from: 'staging',
      stress: {},
      approvals: { releaseManagers: ['alice'] },
      freezeWindows: [{ name: 'weekends', days: ['sat', 'sun'] }],
    });
    expect(parsed).toMatchObject({
      maxEvidenceAge: '72h',
      stress: { tools: ['k6'], requireAllThresholds: true, releaseCheck: 'serves the release under test' },
      approvals: { required: 1, teams: {} },
      freezeWindows: [{ name: 'weekends', timeZone: 'UTC' }],
    });
    expect(problems(policyInput)).toEqual([]);
  });

  it('refuses unknown keys, bad durations and unknown time zones, each at its path', () => {
    expect(
      problems({
        from: 'staging',
        maxEvidenceAge: '3 days',
        qa: { minTest: 3 },
        freezeWindows: [{ name: 'x', days: ['sat'], timeZone: 'Europe/Atlantis' }],
      }),
    ).toEqual([
      'maxEvidenceAge: expected a duration such as 90s, 15m, 72h or 7d (a number followed by ms, s, m, h or d)',
      'qa: unknown key(s) minTest',
      'freezeWindows.0.timeZone: expected an IANA time zone such as UTC, Europe/Berlin or America/New_York',
    ]);
  });

  it('requires a freeze window to be either dated or recurring, with its end after its start', () => {
    expect(
      problems({ from: 'staging', freezeWindows: [{ name: 'a', start: '2026-12-20T00:00', days: ['sat'] }] }),
    ).toEqual([
      'freezeWindows.0.days: expected either start/end (a dated window) or days/from/to (a recurring window), found both',
    ]);
    expect(problems({ from: 'staging', freezeWindows: [{ name: 'b' }] })).toEqual([
      'freezeWindows.0.start: expected start and end (a dated window) or days with from/to (a recurring window)',
    ]);
    expect(
      problems({ from: 'staging', freezeWindows: [{ name: 'c', start: '2027-01-02', end: '2026-12-20T00:00' }] }),
    ).toEqual(['freezeWindows.0.end: expected end after start, found end 2026-12-20T00:00 ≤ start 2027-01-02']);
    expect(problems({ from: 'staging', freezeWindows: [{ name: 'd', days: ['sat'], from: '25:00' }] })).toEqual([
      'freezeWindows.0.from: expected a time of day HH:MM between 00:00 and 24:00',
    ]);
  });

  it('requires teams to be declared and enough release managers to reach the required count', () => {
    expect(
      problems({
        from: 'staging',
        approvals: { required: 3, releaseManagers: ['alice', '@acme/rm'] },
        emergencyOverride: { allowedBy: ['@acme/oncall'] },
      }),
    ).toEqual([
      'approvals.releaseManagers.1: team @acme/rm is not declared under approvals.teams; expected its members listed there',
      'approvals.required: expected at most 1 required approval(s) (the number of distinct release managers), found 3',
      'emergencyOverride.allowedBy.0: team @acme/oncall is not declared under approvals.teams; expected its members listed there',
    ]);
  });

  it('carries its descriptions into the JSON Schema', () => {
    const schema = z.toJSONSchema(promotionPolicySchema, { io: 'input', unrepresentable: 'any' }) as {
      description?: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.description).toBe('What a release needs before it may enter this environment.');
    expect(schema.properties.maxEvidenceAge?.description).toBe('Oldest evidence that still counts, e.g. 72h or 7d.');
    expect(Object.keys(schema.properties)).toEqual([
      'from',
      'maxEvidenceAge',
      'qa',
      'stress',
      'approvals',
      'freezeWindows',
      'emergencyOverride',
      'parity',
    ]);
  });
});
