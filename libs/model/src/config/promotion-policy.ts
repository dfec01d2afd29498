import { z } from 'zod';
import { durationPattern } from '../duration';
import { ownValue } from '../own-key';
import { identifierText } from './text-schemas';

const duration = z
  .string()
  .regex(durationPattern, 'expected a duration such as 90s, 15m, 72h or 7d (a number followed by ms, s, m, h or d)');

/** True when `Intl` knows the IANA time zone (Europe/Berlin, UTC, America/New_York). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'expected an IANA time zone such as UTC, Europe/Berlin or America/New_York' })
  .default('UTC')
  .describe("IANA time zone in which the window's dates and times are read; default UTC.");

const localDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/,
    "expected a local date and time without offset, such as 2026-12-20T00:00 or 2026-12-20 (read in the window's timeZone)",
  );

const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a time of day HH:MM between 00:00 and 24:00');

/** Days of the week as written in freeze windows. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One day of the week. */
export type Weekday = (typeof weekdays)[number];

/**
 * A freeze window: either dated (`start`..`end`, local wall time) or recurring (`days` with `from`..`to`
 * each of those days). One object with a check rather than a union, so that a mistake is reported at its
 * key instead of as "no union member matched".
 */
export const freezeWindowSchema = z
  .strictObject({
    name: identifierText.describe('Name shown in the gate decision (e.g. year-end, weekends).'),
    start: localDateTime.optional().describe('Dated window: first moment frozen, local wall time (2026-12-20T00:00).'),
    end: localDateTime
      .optional()
      .describe('Dated window: first moment no longer frozen, local wall time (2027-01-02T00:00).'),
    days: z
      .array(z.enum(weekdays))
      .min(1)
      .optional()
      .describe('Recurring window: days of the week it applies to (mon … sun).'),
    from: clockTime.optional().describe('Recurring window: local time it starts each of those days (default 00:00).'),
    to: clockTime
      .optional()
      .describe(
        'Recurring window: local time it ends each of those days (default 24:00); may be earlier than `from` to cross midnight.',
      ),
    timeZone,
  })
  .superRefine((w, ctx) => {
    const dated = w.start !== undefined || w.end !== undefined;
    const recurring = w.days !== undefined || w.from !== undefined || w.to !== undefined;
    if (dated && recurring) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected either start/end (a dated window) or days/from/to (a recurring window), found both',
        path: ['days'],
      });
    } else if (dated) {
      if (w.start === undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'expected start next to end in a dated freeze window',
          path: ['start'],
        });
      if (w.end === undefined)
        ctx.addIssue({ code: 'custom', message: 'expected end next to start in a dated freeze window', path: ['end'] });
      if (w.start !== undefined && w.end !== undefined && normaliseLocal(w.end) <= normaliseLocal(w.start)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected end after start, found end ${w.end} ≤ start ${w.start}`,
          path: ['end'],
        });
      }
    } else if (!recurring || w.days === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected start and end (a dated window) or days with from/to (a recurring window)',
        path: recurring ? ['days'] : ['start'],
      });
    }
  })
  .describe('A period in which promotion is refused unless an emergency override is recorded.');

/** Pads `2026-12-20` / `2026-12-20T00:00` to `YYYY-MM-DDTHH:MM:SS` so that strings compare in time order. */
export function normaliseLocal(text: string): string {
  const [date, time = '00:00'] = text.split('T');
  return `${date}T${time.length === 5 ? `${time}:00` : time}`;
}

const person = identifierText.describe(
  'A GitHub login (alice) or a team reference (@acme/release-managers) listed under teams.',
);

/** How many approvals a promotion needs and from whom. */
export const approvalPolicySchema = z
  .strictObject({
    required: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(1)
      .describe("Distinct release managers who must approve; the release's author and creator never count."),
    releaseManagers: z.array(person).min(1).describe('Who may approve: logins and/or team references.'),
    teams: z
      .record(
        z.string().regex(/^@[\w.-]+\/[\w.-]+$/, 'expected a team reference such as @acme/release-managers'),
        z.array(identifierText).min(1),
      )
      .default({})
      .describe('Members of the teams named in releaseManagers or emergencyOverride.allowedBy.'),
  })
  .superRefine((a, ctx) => {
    a.releaseManagers.forEach((entry, index) => {
      if (entry.startsWith('@') && ownValue(a.teams, entry) === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `team ${entry} is not declared under approvals.teams; expected its members listed there`,
          path: ['releaseManagers', index],
        });
      }
    });
    const people = expandPeople(a.releaseManagers, a.teams);
    if (a.required > people.length) {
      ctx.addIssue({
        code: 'custom',
        message: `expected at most ${people.length} required approval(s) (the number of distinct release managers), found ${a.required}`,
        path: ['required'],
      });
    }
  })
  .describe('Approvals required before promotion.');

/** Logins named directly or through teams, lower-cased and without duplicates (GitHub logins ignore case). */
export function expandPeople(entries: readonly string[], teams: Readonly<Record<string, readonly string[]>>): string[] {
  const out = new Set<string>();
  for (const entry of entries) {
    if (entry.startsWith('@')) for (const member of ownValue(teams, entry) ?? []) out.add(member.toLowerCase());
    else out.add(entry.toLowerCase());
  }
  return [...out];
}

/** What stress evidence must show. */
export const stressPolicySchema = z
  .strictObject({
    tools: z
      .array(z.enum(['k6', 'autocannon']))
      .min(1)
      .default(['k6'])
      .describe('Load tools whose results are accepted (autocannon only for local rehearsal).'),
    minDuration: duration
      .optional()
      .describe(
        'Shortest run that counts as stress (needs a duration in the evidence: handleSummary or shipgate stress).',
      ),
    minPeakVus: z.number().int().min(1).optional().describe('Fewest peak virtual users that count as stress.'),
    minRequests: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Fewest HTTP requests that count as stress (alone, or as an alternative to minPeakVus).'),
    requireAllThresholds: z.boolean().default(true).describe('Every threshold of the k6 script must have passed.'),
    releaseCheck: z
      .string()
      .min(1)
      .default('serves the release under test')
      .describe(
        'Name of the k6 check that proves the load hit the release under test; it must be present and never fail.',
      ),
    maxFailedRequestRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Highest accepted http_req_failed rate (0.01 = 1%).'),
    maxP95Ms: z
      .number()
      .positive()
      .optional()
      .describe('Highest accepted p(95) of http_req_duration, in milliseconds.'),
    maxP99Ms: z
      .number()
      .positive()
      .optional()
      .describe('Highest accepted p(99) of http_req_duration, in milliseconds (needs p(99) in summaryTrendStats).'),
  })
  .describe('Stress-test requirements (k6 results from the `from` environment).');

/** What QA evidence must show. */
export const qaPolicySchema = z
  .strictObject({
    minTests: z.number().int().min(0).default(1).describe('Fewest test cases the JUnit report must hold.'),
    maxFailures: z.number().int().min(0).default(0).describe('Most failures + errors accepted.'),
    maxSkipped: z.number().int().min(0).optional().describe('Most skipped tests accepted (no limit when absent).'),
  })
  .describe('QA requirements (JUnit XML from the `from` environment).');

/** Who may override a freeze window, and whether a reason is required. */
export const emergencyOverrideSchema = z
  .strictObject({
    allowedBy: z
      .array(person)
      .min(1)
      .describe('Logins and/or team references (declared in approvals.teams) who may override a freeze.'),
    requireReason: z.boolean().default(true).describe('An override must carry a written reason.'),
  })
  .describe('Emergency override of freeze windows; always recorded.');

/** The promotion policy of one environment (`environments.<name>.promotion` in shipgate.yaml). */
export const promotionPolicySchema = z
  .strictObject({
    from: z.string().min(1).describe('Environment the evidence must come from (the previous stage, e.g. staging).'),
    maxEvidenceAge: duration.default('72h').describe('Oldest evidence that still counts, e.g. 72h or 7d.'),
    qa: qaPolicySchema.optional(),
    stress: stressPolicySchema.optional(),
    approvals: approvalPolicySchema.optional(),
    freezeWindows: z.array(freezeWindowSchema).default([]).describe('Periods in which promotion is refused.'),
    emergencyOverride: emergencyOverrideSchema.optional(),
    parity: z
      .enum(['required', 'reported'])
      .optional()
      .describe(
        '`required`: the gate blocks while this environment and `from` differ in a way `parity.expect` does not declare (`shipgate diff`); `reported`: listed, never blocks.',
      ),
  })
  .superRefine((p, ctx) => {
    const teams = p.approvals?.teams ?? {};
    p.emergencyOverride?.allowedBy.forEach((entry, index) => {
      if (entry.startsWith('@') && !(entry in teams)) {
        ctx.addIssue({
          code: 'custom',
          message: `team ${entry} is not declared under approvals.teams; expected its members listed there`,
          path: ['emergencyOverride', 'allowedBy', index],
        });
      }
    });
  })
  .describe('What a release needs before it may enter this environment.');

/** One environment's promotion policy, defaults applied. */
export type PromotionPolicy = z.infer<typeof promotionPolicySchema>;
/** The policy as written in YAML (before defaults). */
export type PromotionPolicyInput = z.input<typeof promotionPolicySchema>;
/** QA part of a promotion policy. */
export type QaPolicy = z.infer<typeof qaPolicySchema>;
/** Stress part of a promotion policy. */
export type StressPolicy = z.infer<typeof stressPolicySchema>;
/** Approvals part of a promotion policy. */
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;
/** One freeze window. */
export type FreezeWindow = z.infer<typeof freezeWindowSchema>;
/** Emergency override settings. */
export type EmergencyOverridePolicy = z.infer<typeof emergencyOverrideSchema>;
