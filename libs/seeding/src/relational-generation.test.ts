import { describe, expect, it } from 'vitest';
import { isShipgateError } from '@shipgate/model';
import type { DatasetDeclaration } from './define-dataset';
import { defineDataset, validateDataset } from './define-dataset';
import { counts, meanCount } from './counts';
import { gen } from './gen';
import { generateChunk, generateRows } from './generate-rows';
import { compilePlan } from './generation-plan';

const schemaSql = (tables: string[]) => tables.map((t) => `CREATE TABLE ${t} (id bigint);`).join('\n');

/** Teams, their members (grouped, 0-6 each) and the members' tasks (grouped, 1-3 each), with derived values. */
function declaration(overrides: Partial<DatasetDeclaration['tables']> = {}): DatasetDeclaration {
  return {
    name: 'teams',
    schemaSql: schemaSql(['teams', 'members', 'tasks']),
    tables: {
      teams: {
        volume: { small: 200, 'production-like': 30_000 },
        columns: {
          id: { type: 'bigint', generator: gen.id() },
          founded_at: { type: 'timestamptz', generator: gen.timestamp('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z') },
          budget: { type: 'numeric', generator: gen.sumOf('members', 'salary') },
          headcount: { type: 'int', generator: gen.countOf('members') },
        },
      },
      members: {
        columns: {
          id: { type: 'bigint', generator: gen.id({ start: 100 }) },
          team_id: { type: 'bigint', generator: gen.ref('teams', { perParent: counts.uniform(0, 6) }) },
          joined_at: { type: 'timestamptz', generator: gen.timestampAfter('team_id.founded_at', { maxDays: 30 }) },
          salary: { type: 'numeric', generator: gen.decimal(10, 20) },
        },
      },
      tasks: {
        columns: {
          id: { type: 'bigint', generator: gen.id() },
          member_id: {
            type: 'bigint',
            generator: gen.ref('members', { perParent: counts.weighted([1, 1, 1], { min: 1 }) }),
          },
          team_joined: { type: 'timestamptz', generator: gen.from('member_id.joined_at') },
          team_founded: { type: 'timestamptz', generator: gen.from('member_id.team_id.founded_at') },
        },
      },
      ...overrides,
    },
  } as DatasetDeclaration;
}

async function rows(
  ds: ReturnType<typeof defineDataset>,
  table: string,
  profile: 'small' | 'production-like' = 'small',
) {
  const out = [];
  for await (const row of generateRows({ dataset: ds, profile, seed: 11, tables: [table] })) out.push(row.values);
  return out;
}

describe('relational generation (#14.1)', () => {
  it('lays children out grouped by parent, reads parents and derives sums and counts, exactly', async () => {
    const ds = defineDataset(declaration());
    const teams = await rows(ds, 'teams');
    const members = await rows(ds, 'members');
    const tasks = await rows(ds, 'tasks');
    const byTeam = new Map<number, typeof members>();
    for (const m of members) byTeam.set(m.team_id as number, [...(byTeam.get(m.team_id as number) ?? []), m]);
    const wrong: string[] = [];
    for (const t of teams) {
      const mine = byTeam.get(t.id as number) ?? [];
      if (t.headcount !== mine.length) wrong.push(`team ${t.id} headcount`);
      const cents = mine.reduce((sum, m) => sum + Math.round((m.salary as number) * 100), 0);
      if (t.budget !== cents / 100) wrong.push(`team ${t.id} budget ${t.budget} vs ${cents / 100}`);
      for (const m of mine)
        if ((m.joined_at as Date) <= (t.founded_at as Date)) wrong.push(`member ${m.id} joined early`);
    }
    // Children are contiguous and in parent order: team_id never decreases along the member rows.
    for (let i = 1; i < members.length; i++)
      if (members[i]!.team_id! < members[i - 1]!.team_id!) wrong.push(`order at ${i}`);
    const memberById = new Map(members.map((m) => [m.id as number, m]));
    const teamById = new Map(teams.map((t) => [t.id as number, t]));
    for (const task of tasks) {
      const member = memberById.get(task.member_id as number)!;
      if ((task.team_joined as Date).getTime() !== (member.joined_at as Date).getTime())
        wrong.push(`task ${task.id} joined`);
      const team = teamById.get(member.team_id as number)!;
      if ((task.team_founded as Date).getTime() !== (team.founded_at as Date).getTime())
        wrong.push(`task ${task.id} founded`);
    }
    expect(wrong).toEqual([]);
    expect(members.length).toBe(compilePlan(ds, 'small', 11).table('members').volume);
    expect(new Set(members.map((m) => m.team_id)).size).toBeLessThan(teams.length); // some teams have no members
  });

  it('draws children per parent from the declared distribution', () => {
    const plan = compilePlan(defineDataset(declaration()), 'production-like', 11);
    const layout = plan.table('members').grouping!.layout;
    const histogram = [0, 0, 0, 0, 0, 0, 0];
    for (let p = 0; p < layout.parentVolume; p++) histogram[layout.countOf(p)]!++;
    // 30,000 teams, P(k) = 1/7 for k = 0..6: every share within 1.5 points of 14.3%.
    for (const n of histogram) expect(Math.abs(n / 30_000 - 1 / 7)).toBeLessThan(0.015);
    expect(layout.volume).toBe(histogram.reduce((sum, n, k) => sum + n * k, 0));
    expect(Math.abs(layout.volume / 30_000 - meanCount(counts.uniform(0, 6)))).toBeLessThan(0.05);
  });

  it('makes any chunk of a grouped table alone, equal to the same chunk made in sequence', () => {
    const ds = defineDataset(declaration());
    const plan = compilePlan(ds, 'production-like', 11);
    const tasks = plan.table('tasks');
    expect(tasks.chunkCount).toBeGreaterThan(3);
    const inOrder = Array.from({ length: tasks.chunkCount }, (_, c) => generateChunk(plan, tasks, c).text);
    const fresh = compilePlan(ds, 'production-like', 11);
    const alone = generateChunk(fresh, fresh.table('tasks'), 3).text;
    expect(alone).toBe(inOrder[3]);
  });

  it('refuses a cycle through other rows at generation, naming the chain', async () => {
    const ds = defineDataset(
      declaration({
        members: {
          columns: {
            id: { type: 'bigint', generator: gen.id({ start: 100 }) },
            team_id: { type: 'bigint', generator: gen.ref('teams', { perParent: counts.exactly(1) }) },
            joined_at: {
              type: 'timestamptz',
              generator: gen.timestamp('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z'),
            },
            // Undeclared read of the team's budget, which sums the members' salaries: a cycle.
            salary: { type: 'numeric', generator: gen.custom((row) => Number(row.ref('team_id')!.get('budget')) + 1) },
          },
        },
      }),
    );
    await expect(rows(ds, 'teams')).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('teams.budget -> members.salary -> teams.budget'),
    });
  });

  it('refuses, before generating, a volume on a grouped table, bad reads and a misplaced among', () => {
    const decl = declaration();
    decl.tables.members!.volume = { small: 1, 'production-like': 1 };
    decl.tables.members!.columns.joined_at = {
      type: 'timestamptz',
      generator: gen.timestampAfter('team_id.no_such', { maxDays: 1 }),
    };
    decl.tables.tasks!.columns.team_joined = { type: 'timestamptz', generator: gen.from('team_founded') };
    decl.tables.tasks!.columns.other = { type: 'bigint', generator: gen.ref('members', { among: 'team_founded' }) };
    decl.tables.teams!.columns.headcount = { type: 'int', generator: gen.countOf('tasks') };
    const messages = validateDataset(decl).map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      'tables.teams.columns.headcount: reads the children of teams in "tasks", which is not a table generated grouped by teams',
      'tables.members.volume: expected no volume: the rows of members are the children of teams, counted by perParent',
      'tables.members.columns.joined_at: reads "team_id.no_such", but table teams has no column "no_such"; columns: id, founded_at, budget, headcount',
      'tables.tasks.columns.team_joined: reads "team_founded", but column "team_founded" is declared after it; a generator reads only the columns declared before it',
      'tables.tasks.columns.other: picks among the members of column "team_founded", which is not a reference column declared before it',
    ]);
    let thrown: unknown;
    try {
      defineDataset(decl);
    } catch (error) {
      thrown = error;
    }
    expect(isShipgateError(thrown) && thrown.code).toBe('DATASET_INVALID');
  });

  it('refuses an undeclared read of a later column at generation, with the column path', async () => {
    const ds = defineDataset(
      declaration({
        teams: {
          volume: { small: 5, 'production-like': 5 },
          columns: {
            id: { type: 'bigint', generator: gen.id() },
            early: { type: 'int', generator: gen.custom((row) => Number(row.get('late')) + 1) },
            late: { type: 'int', generator: gen.int(1, 9) },
          },
        },
        members: {
          columns: {
            id: { type: 'bigint', generator: gen.id() },
            team_id: { type: 'bigint', generator: gen.ref('teams', { perParent: counts.exactly(1) }) },
          },
        },
        tasks: { volume: { small: 0, 'production-like': 0 }, columns: { id: { type: 'bigint', generator: gen.id() } } },
      }),
    );
    await expect(rows(ds, 'teams')).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('tables.teams.columns.early: reads column "late", which is declared after it'),
    });
  });
});
