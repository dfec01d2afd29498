import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand, type OptionValues } from './command';
import { completeOptionValues } from './option-values';

// #11 item 22: a command's option declarations type its values (checked by tsc), and main hands over
// values that match those types (checked here at run time).
const options = {
  release: { type: 'string', description: 'a release' },
  wait: { type: 'string', default: 'complete', description: 'how long' },
  junit: { type: 'string', multiple: true, description: 'reports' },
  'dry-run': { type: 'boolean', description: 'plan only' },
} as const;

describe('typed command options (#11.22)', () => {
  it('derives each value type from its declaration', () => {
    const command = defineCommand({
      name: 'example',
      usage: 'shipgate example',
      examples: ['shipgate example'],
      options,
      run: async (ctx) => {
        expectTypeOf(ctx.values.release).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.values.wait).toEqualTypeOf<string>();
        expectTypeOf(ctx.values.junit).toEqualTypeOf<string[]>();
        expectTypeOf(ctx.values['dry-run']).toEqualTypeOf<boolean>();
        return { json: ctx.values, human: '' };
      },
    });
    expectTypeOf<OptionValues<typeof command.options>>().toEqualTypeOf<{
      release: string | undefined;
      wait: string;
      junit: string[];
      'dry-run': boolean;
    }>();
    expect(command.options).toBe(options);
  });

  it('completes parsed values to those types: defaults, false for an absent boolean, [] for an absent list', () => {
    expect(completeOptionValues(options, {})).toEqual({ wait: 'complete', junit: [], 'dry-run': false });
    expect(
      completeOptionValues(options, { release: 'rel-1', wait: 'traffic', junit: ['a.xml'], 'dry-run': true }),
    ).toEqual({ release: 'rel-1', wait: 'traffic', junit: ['a.xml'], 'dry-run': true });
  });
});
