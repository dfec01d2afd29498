import { ShipgateError } from './errors';

/** A duration as shipgate.yaml writes it: a number and a unit, no space (`90s`, `15m`, `72h`, `7d`, `500ms`, `1.5h`). */
export const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in a duration written as `90s`, `15m`, `72h`, `7d` (also `500ms`, `1.5h`): the one parser. */
export function parseDuration(text: string): number {
  const match = durationPattern.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) {
    throw new ShipgateError(
      'CONFIG_INVALID',
      `expected a duration such as 90s, 15m, 72h or 7d (a number followed by ms, s, m, h or d), found ${JSON.stringify(text)}`,
      {
        hint: 'Write the unit after the number, without a space: 72h, not 72 or "72 hours".',
      },
    );
  }
  return Math.round(Number(match[1]) * unitMs[match[2]!]!);
}

/**
 * Milliseconds for people, the one formatter: `850 ms`, `4.2 s`, `42 s`, `3 min 5 s`, `3 min`,
 * `2 h 5 min`, `80 h` (hours up to four days, so that ages read against a `72h` policy), `5 d 3 h`.
 */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${Number((ms / 1000).toFixed(1))} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's');
  const min = Math.round(ms / 60_000);
  if (min < 96 * 60) return pair(Math.floor(min / 60), 'h', min % 60, 'min');
  const h = Math.round(ms / 3_600_000);
  return pair(Math.floor(h / 24), 'd', h % 24, 'h');
}

function pair(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
}
